import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import type { AlertState } from "@/lib/domain/slo/alert-lifecycle";
import type { SliBucket } from "@/lib/domain/slo/sli-bucket";
import { SloSpecSchema, type SloDefinition, type SloSpec } from "@/lib/domain/slo/slo-definition";
import { SloExistsError, SloNotFoundError, SloVersionConflictError } from "@/lib/domain/slo/slo-errors";
import type { SloStatus } from "@/lib/domain/slo/slo-status";
import { DAY_MS, HOUR_MS, type TimeWindow } from "@/lib/domain/shared/time";
import type { SliLedgerDay, SliLedgerState, SloStore } from "@/lib/ports/slo-store";
import { SLI_LEDGER_STATE_SK, SLO_PK, SLO_STATUS_PK, sliDaySk, sliLedgerPk, sloAlertPk, sloAlertSk } from "@/lib/adapters/dynamodb/keys";
import { deleteItems, putItems } from "@/lib/adapters/dynamodb/batch-write";
import { parseItem } from "@/lib/adapters/dynamodb/item-error";
import { queryAll } from "@/lib/adapters/dynamodb/query-all";

const DefinitionItemSchema = SloSpecSchema.extend({
  version: z.number().int(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  updatedBy: z.string(),
});

const RuleStatusSchema = z.object({
  severity: z.enum(["page", "ticket"]),
  longWindowMs: z.number(),
  shortWindowMs: z.number(),
  burnRateThreshold: z.number(),
  longBurnRate: z.number().nullable(),
  shortBurnRate: z.number().nullable(),
  longTotal: z.number(),
  firing: z.boolean(),
  lowTraffic: z.boolean(),
});

const StatusItemSchema = z.object({
  sloId: z.string(),
  sloVersion: z.number(),
  evaluatedAtMs: z.number(),
  throughMs: z.number(),
  level: z.enum(["ok", "ticket", "page"]),
  period: z.object({ fromMs: z.number(), toMs: z.number(), periodMs: z.number() }),
  good: z.number(),
  total: z.number(),
  sliRatio: z.number().nullable(),
  budgetRemainingRatio: z.number().nullable(),
  currentBurnRate: z.number().nullable(),
  timeToExhaustionMs: z.number().nullable(),
  rules: z.array(RuleStatusSchema),
  minEvents: z.number(),
  coverageRatio: z.number(),
  problem: z.string().nullable(),
}) satisfies z.ZodType<SloStatus>;

const LedgerItemSchema = z.object({
  sloId: z.string(),
  sliKey: z.string(),
  dayStartMs: z.number(),
  good: z.array(z.number().nullable()).length(24),
  total: z.array(z.number().nullable()).length(24),
});

const LedgerStateItemSchema = z.object({ sloId: z.string(), sliKey: z.string(), throughMs: z.number() });

const AlertItemSchema = z.object({
  sloId: z.string(),
  severity: z.enum(["page", "ticket"]),
  status: z.enum(["firing", "resolved"]),
  startedAtMs: z.number(),
  endedAtMs: z.number().nullable(),
  notifiedAtMs: z.number().nullable(),
  peakBurnRate: z.number(),
}) satisfies z.ZodType<AlertState>;

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string }).name === "ConditionalCheckFailedException";
}

/**
 * SLOs in the single table (keys.ts): definitions (optimistic concurrency on `version`), the
 * latest evaluation per SLO, the SLI ledger (a day item of 24 hourly counts) and alert
 * episodes. Everything is written whole, so an evaluator rerun writes the same items.
 */
export class DynamoSloStore implements SloStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  async list(): Promise<SloDefinition[]> {
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": SLO_PK } });
    return items.map((item) => parseItem(DefinitionItemSchema, item));
  }

  async get(id: string): Promise<SloDefinition | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: SLO_PK, sk: id } }));
    return Item ? parseItem(DefinitionItemSchema, Item) : null;
  }

  async create(spec: SloSpec, by: string, nowMs: number): Promise<SloDefinition> {
    const definition: SloDefinition = { ...spec, version: 1, createdAtMs: nowMs, updatedAtMs: nowMs, updatedBy: by };
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { pk: SLO_PK, sk: spec.id, ...definition }, ConditionExpression: "attribute_not_exists(pk)" }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new SloExistsError(spec.id);
      throw error;
    }
    return definition;
  }

  async update(spec: SloSpec, expectedVersion: number, by: string, nowMs: number): Promise<SloDefinition> {
    const current = await this.get(spec.id);
    if (current === null) throw new SloNotFoundError(spec.id);
    if (current.version !== expectedVersion) throw new SloVersionConflictError(spec.id, expectedVersion);
    const definition: SloDefinition = { ...spec, version: expectedVersion + 1, createdAtMs: current.createdAtMs, updatedAtMs: nowMs, updatedBy: by };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: SLO_PK, sk: spec.id, ...definition },
          ConditionExpression: "version = :expected",
          ExpressionAttributeValues: { ":expected": expectedVersion },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new SloVersionConflictError(spec.id, expectedVersion);
      throw error;
    }
    return definition;
  }

  async delete(id: string): Promise<boolean> {
    const existed = (await this.get(id)) !== null;
    // The definition goes first: a crash after it leaves only orphans nothing reads.
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: SLO_PK, sk: id } }));
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: SLO_STATUS_PK, sk: id } }));
    for (const pk of [sliLedgerPk(id), sloAlertPk(id)]) {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ProjectionExpression: "pk, sk",
      });
      await deleteItems(this.doc, this.tableName, items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })));
    }
    return existed;
  }

  async putStatus(status: SloStatus): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: SLO_STATUS_PK, sk: status.sloId, ...status } }));
  }

  async getStatus(id: string): Promise<SloStatus | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: SLO_STATUS_PK, sk: id } }));
    return Item ? parseItem(StatusItemSchema, Item) : null;
  }

  async listStatuses(): Promise<SloStatus[]> {
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": SLO_STATUS_PK } });
    return items.map((item) => parseItem(StatusItemSchema, item));
  }

  async getLedgerState(sloId: string): Promise<SliLedgerState | null> {
    const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: sliLedgerPk(sloId), sk: SLI_LEDGER_STATE_SK } }));
    return Item ? parseItem(LedgerStateItemSchema, Item) : null;
  }

  async putLedgerState(state: SliLedgerState): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: sliLedgerPk(state.sloId), sk: SLI_LEDGER_STATE_SK, ...state } }));
  }

  async putLedgerDays(days: readonly SliLedgerDay[]): Promise<number> {
    return putItems(
      this.doc,
      this.tableName,
      days.map((d) => ({ pk: sliLedgerPk(d.sloId), sk: sliDaySk(d.dayStartMs), ...d })),
    );
  }

  async readLedger(sloId: string, sliKey: string, window: TimeWindow): Promise<SliBucket[]> {
    if (window.toMs <= window.fromMs) return [];
    const firstDay = Math.floor(window.fromMs / DAY_MS) * DAY_MS;
    const lastDay = Math.floor((window.toMs - 1) / DAY_MS) * DAY_MS;
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
      ExpressionAttributeValues: { ":pk": sliLedgerPk(sloId), ":from": sliDaySk(firstDay), ":to": sliDaySk(lastDay) },
    });
    const buckets: SliBucket[] = [];
    for (const item of items) {
      const day = parseItem(LedgerItemSchema, item);
      // Days of an earlier SLI (before the target or indicator changed) are not this SLI's.
      if (day.sliKey !== sliKey) continue;
      for (let h = 0; h < 24; h++) {
        const startMs = day.dayStartMs + h * HOUR_MS;
        const good = day.good[h];
        const total = day.total[h];
        if (good == null || total == null || startMs + HOUR_MS <= window.fromMs || startMs >= window.toMs) continue;
        buckets.push({ startMs, durationMs: HOUR_MS, good, total });
      }
    }
    return buckets.sort((a, b) => a.startMs - b.startMs);
  }

  async putAlerts(alerts: readonly AlertState[]): Promise<void> {
    await putItems(
      this.doc,
      this.tableName,
      alerts.map((a) => ({ pk: sloAlertPk(a.sloId), sk: sloAlertSk(a.startedAtMs, a.severity), ...a })),
    );
  }

  async listAlerts(sloId: string, sinceMs: number): Promise<AlertState[]> {
    const items = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": sloAlertPk(sloId) } });
    return items
      .map((item) => parseItem(AlertItemSchema, item))
      .filter((a) => a.status === "firing" || a.startedAtMs >= sinceMs || (a.endedAtMs ?? 0) >= sinceMs)
      .sort((a, b) => a.startedAtMs - b.startedAtMs || a.severity.localeCompare(b.severity));
  }
}
