import { randomUUID } from 'node:crypto';
import { Field, Int, ObjectType } from 'type-graphql';
import { DataSource, In } from 'typeorm';
import { errors } from '../../lib/errors';
import { queryGateway } from '../shared/gateway-client';
import { Finding } from './entities/finding';
import { FindingStatus, SETTLED_STATUSES } from './enums';
import { evaluate, FindingDraft, hasNewEvidence, PersonView, RULES_READ } from './rules';

/** Everything the rules read (each rule's `reads`), for one page of persons, in one gateway request. */
export const FINDINGS_INPUT = `query FindingsInput($first: Int!, $after: String) {
  foreignNationals(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { ${RULES_READ} }
  }
}`;

export const REFRESH_PAGE_SIZE = 500;

@ObjectType({ description: 'What one refresh of the findings did.' })
export class RefreshSummary {
  @Field(() => Int)
  personsChecked: number;

  @Field(() => Int, { description: 'Findings that hold now.' })
  open: number;

  @Field(() => Int, {
    description: 'Findings new in this refresh, holding again, or reopened by new evidence after a case settled them.',
  })
  opened: number;

  @Field(() => Int, { description: 'Findings that no longer hold, closed by this refresh.' })
  closed: number;

  @Field()
  startedAt: string;

  @Field()
  finishedAt: string;
}

/**
 * Brings the findings up to date: reads every person's joined view through the gateway a page at a
 * time (one request per 500 persons, never one per person), evaluates the rules, upserts what holds
 * and closes, without deleting, what no longer does. Nothing is closed unless every page came back
 * complete from all agencies: a missing agency must not look like a resolved violation. A finding a
 * closed case settled (ACTIONED, DISMISSED) stays settled, whether the rule holds or not, until the
 * rule brings evidence the settlement did not see: then it is reopened, in place.
 */
export async function refreshFindings(
  db: DataSource,
  gatewayUrl: string | undefined,
  /** A fresh single-use delegation for each page, for the user who asked (SubgraphContext.delegate). */
  tokenFor: () => Promise<string>,
  fetchPage = postPage,
): Promise<RefreshSummary> {
  const startedAt = new Date().toISOString();
  let after: string | null = null;
  let personsChecked = 0;
  let opened = 0;
  do {
    const page = await fetchPage(gatewayUrl, { first: REFRESH_PAGE_SIZE, after }, await tokenFor());
    personsChecked += page.nodes.length;
    opened += await upsert(db, page.nodes.flatMap(evaluate), startedAt);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  const closed = await db
    .createQueryBuilder()
    .update(Finding)
    .set({ status: FindingStatus.CLOSED, closedAt: startedAt })
    .where('status = :open AND lastConfirmedAt < :startedAt', { open: FindingStatus.OPEN, startedAt })
    .execute();
  const open = await db.getRepository(Finding).countBy({ status: FindingStatus.OPEN });
  return {
    personsChecked,
    open,
    opened,
    closed: closed.affected ?? 0,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/** One transaction per page: a page's findings are written whole or not at all. */
async function upsert(db: DataSource, drafts: FindingDraft[], now: string): Promise<number> {
  if (drafts.length === 0) return 0;
  return db.transaction(async (manager) => {
    const repository = manager.getRepository(Finding);
    const fingerprints = drafts.map(fingerprintOf);
    const existing = new Map(
      (await repository.findBy({ fingerprint: In(fingerprints) })).map((finding) => [finding.fingerprint, finding]),
    );
    let opened = 0;
    const rows = drafts.map((draft) => {
      const before = existing.get(fingerprintOf(draft));
      if (before && SETTLED_STATUSES.includes(before.status) && !hasNewEvidence(before, draft)) {
        // Still holding on the evidence the case decided on: the decision stands.
        return { id: before.id, lastConfirmedAt: now };
      }
      if (before?.status !== FindingStatus.OPEN) opened += 1;
      return {
        ...draft,
        id: before?.id ?? randomUUID(),
        fingerprint: fingerprintOf(draft),
        status: FindingStatus.OPEN,
        detectedAt: before?.status === FindingStatus.OPEN ? before.detectedAt : now,
        lastConfirmedAt: now,
        closedAt: null,
      };
    });
    await repository.save(rows, { chunk: 200 });
    return opened;
  });
}

function fingerprintOf(draft: FindingDraft): string {
  return `${draft.kind}:${draft.personId}`;
}

interface Page {
  nodes: PersonView[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A page read on behalf of the user who asked for the refresh: the audit shows who read it all. */
async function postPage(
  gatewayUrl: string | undefined,
  variables: { first: number; after: string | null },
  token: string,
): Promise<Page> {
  try {
    return (await queryGateway<{ foreignNationals: Page }>(gatewayUrl, FINDINGS_INPUT, variables, token))
      .foreignNationals;
  } catch (error) {
    throw errors.refreshIncomplete(`Findings not refreshed, nothing closed: ${(error as Error).message}`);
  }
}
