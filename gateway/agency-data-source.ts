import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { IDENTITY_HEADER } from '../lib/auth';
import { GatewayContext } from './auth';
import { GatewayMetrics } from './metrics';
import { GraphQLError } from 'graphql';
import { CODE, errors } from '../lib/errors';

/**
 * The gateway has already validated the operation against the supergraph, where custom scalars
 * (LocalDate, DateTimeISO) accept any literal. So a subgraph that still finds the operation invalid
 * has rejected a scalar value the client wrote: that is bad user input, like a bad variable.
 */
function clientCode(code: unknown): unknown {
  return code === CODE.GRAPHQL_VALIDATION_FAILED ? CODE.BAD_USER_INPUT : code;
}

/**
 * A subgraph call that names the agency when it fails. An outage of one agency becomes one
 * AGENCY_UNAVAILABLE error (its fields come back null) while the other agencies still answer; a
 * subgraph's own refusal (e.g. a malformed argument, HTTP 400) is passed on with its code.
 */
export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly agency: string,
    /** How analysts know the agency, in the message about its missing data. */
    private readonly label: string,
    private readonly metrics: GatewayMetrics,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource>[0],
  ) {
    super(config);
  }

  /** Times every fetch and counts the failed ones, per agency. */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const done = this.metrics.subgraphFetch.startTimer({ subgraph: this.agency });
    try {
      const response = await super.process(options);
      for (const error of response.errors ?? [])
        this.metrics.subgraphErrors.inc({ subgraph: this.agency, code: String(error.extensions?.code ?? 'UNKNOWN') });
      return response;
    } catch (error) {
      this.metrics.subgraphErrors.inc({
        subgraph: this.agency,
        code: String((error as GraphQLError).extensions?.code ?? 'UNAVAILABLE'),
      });
      throw error;
    } finally {
      done();
    }
  }

  /** Every call carries the gateway's signed assertion of who asks, and the request id. */
  willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!('identityToken' in context)) return; // the gateway's own health probes carry no user
    request.http!.headers.set(IDENTITY_HEADER, context.identityToken);
    request.http!.headers.set('x-request-id', context.requestId);
  }

  /** Collects the persons each agency says its answer carried, for the read audit. */
  async didReceiveResponse({
    response,
    context,
  }: Required<Pick<GraphQLDataSourceProcessOptions<GatewayContext>, 'context'>> & { response: any }) {
    const persons = response.extensions?.persons;
    if (Array.isArray(persons) && context.personIds) for (const id of persons) context.personIds.add(String(id));
    return response;
  }

  async errorFromResponse(response: any): Promise<GraphQLError> {
    const body = await this.parseBody(response).catch(() => undefined);
    const first = (body as { errors?: { message: string; extensions?: Record<string, unknown> }[] })?.errors?.[0];
    if (response.status < 500 && first) {
      return errors.passedOn(first.message, {
        ...first.extensions,
        code: clientCode(first.extensions?.code),
        agency: this.agency,
      });
    }
    return this.unavailable(`HTTP ${response.status}`);
  }

  didEncounterError(error: Error): never {
    if (error instanceof GraphQLError) throw error;
    throw this.unavailable(error.message);
  }

  private unavailable(reason: string): GraphQLError {
    return errors.agencyUnavailable(
      `${this.label} is unavailable; its data is missing from this answer (${reason})`,
      this.agency,
    );
  }
}
