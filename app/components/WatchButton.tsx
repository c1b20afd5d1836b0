"use client";

import { useLocale } from "./locale";
import { secondaryButtonStyle } from "./styles";

interface WatchButtonProps {
  /** Whether this stream is the one being watched (useStreamWatch's `watching`). */
  active: boolean;
  onToggle: () => void;
}

/** Watch / Stop watching on a stream card (the rows of /live); the watch events are useStreamWatch's. */
export function WatchButton({ active, onToggle }: WatchButtonProps) {
  const { t } = useLocale();
  return (
    <button type="button" data-testid="watch" aria-pressed={active} onClick={onToggle} style={secondaryButtonStyle}>
      {active ? t("live.stopWatching") : t("live.watch")}
    </button>
  );
}
