"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { WhatIfFormValues, WhatIfPrefill } from "@/app/(console)/tuning/[name]/whatif-model";

/** The what-if form's values, shared so each recommendation card's "Try in what-if" can fill it. */
interface WhatIfState {
  values: WhatIfFormValues;
  /** What filled the form last ("current settings" or a recommendation's summary). */
  source: string;
  note: string | null;
  /** Bumped on every fill, so the panel can clear an old result and field errors. */
  fill: number;
}

interface WhatIfContextValue {
  state: WhatIfState;
  setValue: <K extends keyof WhatIfFormValues>(key: K, value: WhatIfFormValues[K]) => void;
  load: (prefill: WhatIfPrefill) => void;
}

const WhatIfContext = createContext<WhatIfContextValue | null>(null);

/** Anchor of the what-if panel on the page. */
export const WHATIF_ANCHOR = "whatif";

/** Holds the what-if form state for the tuning page; server-rendered cards sit inside it as children. */
export function WhatIfProvider({ initial, children }: { initial: WhatIfPrefill; children: ReactNode }) {
  const [state, setState] = useState<WhatIfState>({ values: initial.values, source: initial.source, note: initial.note, fill: 0 });
  const setValue = useCallback(<K extends keyof WhatIfFormValues>(key: K, value: WhatIfFormValues[K]) => {
    setState((s) => ({ ...s, values: { ...s.values, [key]: value } }));
  }, []);
  const load = useCallback((prefill: WhatIfPrefill) => {
    // Keep the chosen window: a proposal says nothing about how far back to replay.
    setState((s) => ({ values: { ...prefill.values, hours: s.values.hours }, source: prefill.source, note: prefill.note, fill: s.fill + 1 }));
  }, []);
  const value = useMemo(() => ({ state, setValue, load }), [state, setValue, load]);
  return <WhatIfContext.Provider value={value}>{children}</WhatIfContext.Provider>;
}

export function useWhatIf(): WhatIfContextValue {
  const value = useContext(WhatIfContext);
  if (value === null) throw new Error("useWhatIf outside WhatIfProvider");
  return value;
}

/** Fills the what-if form with a recommendation's proposal and scrolls to it. */
export function TryInWhatIfButton({ prefill }: { prefill: WhatIfPrefill }) {
  const { load } = useWhatIf();
  return (
    <button
      type="button"
      className="button"
      data-testid="try-whatif"
      onClick={() => {
        load(prefill);
        const panel = document.getElementById(WHATIF_ANCHOR);
        panel?.scrollIntoView({ behavior: "smooth", block: "start" });
        panel?.querySelector<HTMLInputElement>("input")?.focus({ preventScroll: true });
      }}
    >
      Try in what-if
    </button>
  );
}
