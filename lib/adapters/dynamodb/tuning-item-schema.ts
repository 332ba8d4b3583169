import { z } from "zod";
import { TuningChangeSchema } from "@/lib/domain/sizing/tuning-change";
import type { FunctionTuning } from "@/lib/domain/sizing/tuning-types";

/**
 * The stored shape of a function's tuning (lib/domain/sizing/tuning-types.ts), checked on
 * read so a malformed item is reported by its key instead of breaking a page.
 */

const RangeSchema = z.object({ lower: z.number(), expected: z.number(), upper: z.number() });


const PcPlanSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }),
  z.object({ kind: z.literal("fixed"), executions: z.number() }),
  z.object({ kind: z.literal("schedule"), baseline: z.number(), steps: z.array(z.object({ fromMinute: z.number(), toMinute: z.number(), executions: z.number() })) }),
  z.object({ kind: z.literal("target-tracking"), targetUtilisation: z.number(), min: z.number(), max: z.number() }),
]);

const EffectSchema = z.object({ current: z.number().nullable(), projected: RangeSchema });

const FINDINGS = [
  "over-provisioned-memory",
  "memory-starved",
  "arm64-candidate",
  "cold-start-heavy",
  "idle-provisioned-concurrency",
  "provisioned-concurrency-spillover",
  "reserved-concurrency-throttling",
  "reserved-concurrency-missing",
] as const;

const RecommendationSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  region: z.string(),
  functionName: z.string(),
  kind: z.enum(["memory", "architecture", "provisioned-concurrency", "reserved-concurrency"]),
  finding: z.enum(FINDINGS),
  summary: z.string(),
  current: z.string(),
  proposed: z.string(),
  change: TuningChangeSchema.nullable(),
  notAppliableReason: z.string().nullable(),
  revert: TuningChangeSchema.nullable(),
  pcPlan: PcPlanSchema.optional(),
  monthlyCost: z.object({ currentUsd: z.number(), projectedUsd: RangeSchema, deltaUsd: RangeSchema }),
  effects: z.object({
    p50Ms: EffectSchema.optional(),
    p99Ms: EffectSchema.optional(),
    coldStartsPerDay: EffectSchema.optional(),
    throttlesPerDay: EffectSchema.optional(),
    spilloverPerDay: EffectSchema.optional(),
    sloColdStartBadShare: EffectSchema.extend({ sloId: z.string(), sloName: z.string() }).optional(),
  }),
  confidence: z.enum(["high", "medium", "low"]),
  evidence: z.array(z.string()),
  assumptions: z.array(z.string()),
  riskUnits: z.number(),
  options: z
    .array(z.object({ strategy: z.enum(["cost", "balanced", "speed"]), memoryMb: z.number(), monthlyCostUsd: RangeSchema, p50Ms: RangeSchema, p99Ms: RangeSchema }))
    .optional(),
});

const DurationModelSchema = z.object({
  basis: z.enum(["fitted", "prior"]),
  cpuMs: RangeSchema,
  ioMs: RangeSchema,
  parallelism: z.number(),
  architecture: z.enum(["x86_64", "arm64"]),
  observations: z.array(z.object({ memoryMb: z.number(), invocations: z.number(), meanDurationMs: z.number() })),
  p99ToMean: z.number(),
  p50ToMean: z.number(),
  evidence: z.array(z.string()),
});

const Ref = { accountId: z.string(), region: z.string(), functionName: z.string(), asOfMs: z.number() };

export const FunctionTuningSchema: z.ZodType<FunctionTuning> = z.discriminatedUnion("status", [
  z.object({ status: z.literal("insufficient-data"), ...Ref, reason: z.string() }),
  z.object({
    status: z.literal("analysed"),
    ...Ref,
    recommendations: z.array(RecommendationSchema),
    notes: z.array(z.string()),
    durationModel: DurationModelSchema,
    currentMonthlyCostUsd: z.number(),
  }),
]);
