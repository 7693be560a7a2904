import { GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import DataLoader from 'dataloader';
import { mergeFetches } from './merged-fetches';
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
  /**
   * Sends the queries a plan fetches from this agency at the same time as one call (merged-fetches.ts).
   * @default true
   */
  mergeFetches?: boolean;
}

type ProcessOptions = GraphQLDataSourceProcessOptions<GatewayContext>;
type Response = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

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
  private readonly merge: boolean;
  /** Per user request: the fetches of one tick, sent together. */
  private readonly batches = new WeakMap<object, DataLoader<ProcessOptions, Response>>();

  constructor(
    private readonly agency: string,
    options: AgencyOptions,
    config: ConstructorParameters<typeof RemoteGraphQLDataSource>[0],
  ) {
    super(config);
    ({ label: this.label, metrics: this.metrics, sign: this.sign, policy: this.policy } = options);
    this.merge = options.mergeFetches ?? true;
  }

  /** A user's query fetches wait one tick for the plan's other fetches to this agency. */
  async process(options: ProcessOptions): Promise<Response> {
    const mergeable =
      this.merge && options.kind === GraphQLDataSourceRequestKind.INCOMING_OPERATION && isQuery(options.request.query);
    if (!mergeable) return this.send(options);
    let batch = this.batches.get(options.context);
    if (!batch) {
      batch = new DataLoader((parts) => this.sendTogether(parts), { cache: false, maxBatchSize: 8 });
      this.batches.set(options.context, batch);
    }
    return batch.load(options);
  }

  private async sendTogether(parts: readonly ProcessOptions[]): Promise<Response[]> {
    const merged = parts.length > 1 ? mergeFetches(parts.map((part) => part.request as never)) : undefined;
    if (!merged) return Promise.all(parts.map((part) => this.send(part)));
    const [first] = parts;
    const response = await this.send({
      ...first,
      request: {
        ...first.request,
        query: merged.query,
        variables: merged.variables,
        operationName: merged.operationName,
      },
      document: undefined, // the plan's parsed document of the first part alone
    } as ProcessOptions);
    return merged.split(response);
  }

  /**
   * Every fetch goes through the agency's policy (a query may be retried, a mutation never), is
   * timed, and its failures are counted.
   */
  private async send(options: ProcessOptions): Promise<Response> {
    const done = this.metrics.subgraphFetch.startTimer({ subgraph: this.agency });
    const idempotent = isQuery(options.request.query);
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

/** A query may be retried and merged; a mutation is sent once, alone. */
function isQuery(query: string | undefined): boolean {
  return !/^\s*mutation\b/.test(query ?? '');
}
