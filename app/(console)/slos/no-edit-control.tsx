import styles from "@/app/(console)/slos/slos.module.css";

/**
 * Edit controls the signed-in role may not use: the buttons are there but disabled, and the
 * reason is visible beside them (a tooltip alone does not show on a disabled button everywhere).
 * `id` names the reason so each button can point to it.
 */
export function NoEditControl({ id, reason, buttons }: { id: string; reason: string; buttons: { label: string; primary?: boolean; testId: string }[] }) {
  return (
    <div className={styles.noEdit} title={reason}>
      <div className={styles.confirmButtons}>
        {buttons.map((button) => (
          <button
            key={button.testId}
            type="button"
            className={button.primary ? "button button-primary" : "button"}
            disabled
            aria-describedby={id}
            data-testid={button.testId}
          >
            {button.label}
          </button>
        ))}
      </div>
      <p id={id} className={styles.reason} data-testid="slo-edit-denied">
        {reason}
      </p>
    </div>
  );
}
