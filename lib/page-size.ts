/**
 * The page sizes every connection of the API accepts: the subgraphs enforce them, and the gateway
 * refuses a larger `first` before fetching and prices an operation with them.
 */
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
