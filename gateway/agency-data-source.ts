import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { AssertionSigner, IDENTITY_HEADER } from '../lib/assertions';
import { GatewayContext } from './auth';
import { GatewayMetrics, metricCode } from './metrics';
import { AgencyPolicy, PolicyRefusal } from './resilience';
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

export interface AgencyOptions {
  /** How analysts know the agency, in the message about its missing data. */
  label: string;
  metrics: GatewayMetrics;
  /** Signs the assertion of each call (Auth.signAgencyAssertion). */
  sign: AssertionSigner;
  /** Timeout, breaker, bulkhead and retries of this agency's calls (resilience.ts). */
  policy: AgencyPolicy;
}

/**
 * A subgraph call that names the agency when it fails. An outage of one agency becomes one
 * AGENCY_UNAVAILABLE error (its fields come back null) while the other agencies still answer; a
 * subgraph's own refusal (e.g. a malformed argument, HTTP 400) is passed on with its code.
 */
export class AgencyDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly label: string;
  private readonly metrics: GatewayMetrics;
  private readonly sign: AssertionSigner;
  private readonly policy: AgencyPolicy;

  constructor(
    private readonly agency: string,
    options: AgencyOptions,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource>[0],
  ) {
    super(config);
    ({ label: this.label, metrics: this.metrics, sign: this.sign, policy: this.policy } = options);
  }

  /**
   * Every fetch goes through the agency's policy (a query may be retried, a mutation never), is
   * timed, and its failures are counted.
   */
  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const done = this.metrics.subgraphFetch.startTimer({ subgraph: this.agency });
    const idempotent = !/^\s*mutation\b/.test(options.request.query ?? '');
    try {
      const response = await this.policy
        .execute(() => super.process(options), idempotent)
        .catch((error) => {
          throw error instanceof PolicyRefusal ? this.unavailable(error.message) : error;
        });
      for (const error of response.errors ?? [])
        this.metrics.subgraphErrors.inc({ subgraph: this.agency, code: metricCode(error.extensions?.code) });
      return response;
    } catch (error) {
      this.metrics.subgraphErrors.inc({
        subgraph: this.agency,
        code: metricCode((error as GraphQLError).extensions?.code ?? CODE.AGENCY_UNAVAILABLE),
      });
      throw error;
    } finally {
      done();
    }
  }

  /**
   * Every call carries an assertion of who asks, signed for this agency and this call alone
   * (lib/assertions.ts), and the request id.
   */
  async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    if (!('identity' in context)) return; // the gateway's own health probes carry no user
    const assertion = await this.sign(context.identity, { audience: this.agency, requestId: context.requestId });
    request.http!.headers.set(IDENTITY_HEADER, assertion);
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
    // The connection pool's own timeouts are the policy's: say it in the policy's words.
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
      throw this.unavailable(`no answer within ${this.policy.settings.timeoutMs} ms`);
    throw this.unavailable(error.message);
  }

  private unavailable(reason: string): GraphQLError {
    return errors.agencyUnavailable(
      `${this.label} is unavailable; its data is missing from this answer (${reason})`,
      this.agency,
    );
  }
}
