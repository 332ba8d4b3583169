import { StatusBadge, type BadgeTone } from "@/app/(console)/functions/[name]/section-parts";
import { CONFIDENCE_MEANINGS, CONFIDENCE_WORDS } from "@/app/(console)/tuning/tuning-words";
import type { Confidence } from "@/lib/domain/sizing/tuning-types";

const TONES: Record<Confidence, BadgeTone> = { high: "good", medium: "neutral", low: "warn" };

/** How far a recommendation can be trusted, as a pill: the word says it, the colour repeats it. */
export function ConfidenceBadge({ confidence }: { confidence: Confidence }) {
  return (
    <span title={CONFIDENCE_MEANINGS[confidence]} data-testid="confidence" data-confidence={confidence}>
      <StatusBadge tone={TONES[confidence]} status={confidence}>
        {CONFIDENCE_WORDS[confidence]}
      </StatusBadge>
    </span>
  );
}
