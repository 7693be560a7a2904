/**
 * The form names are compared and searched in: lower case, accents stripped, single spaces.
 * "Nguyễn  Văn AN" and "nguyen van an" are the same key, so analysts and cross-agency matching
 * are not defeated by how a clerk typed a name.
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
