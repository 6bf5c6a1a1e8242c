import { useState } from 'preact/hooks';
import { PUBLIC_NOTE_MAX, REPORT_OUTCOMES, REPORT_STATES, type ReportOutcome, type ReportState } from '../../../utils/schema/wire';
import type { Decision, DecisionRequest } from '../../api/contract';
import type { Action } from '../controllers';
import { useMessages } from '../i18n';
import { ErrorText, StatusText } from './common';

export interface AssignOption {
  id: string;
  email: string;
}

export interface DecisionFormProps {
  decision: Decision;
  /** Who the report may be assigned to (besides nobody). */
  assignees: readonly AssignOption[];
  action: Action;
  onSave: (request: DecisionRequest) => void;
}

/** Starts from `decision`; the parent gives it a `key` that changes when the stored decision does. */
export function DecisionForm({ decision, assignees, action, onSave }: DecisionFormProps) {
  const { t, dateTime } = useMessages();
  const [state, setState] = useState<ReportState>(decision.state);
  const [outcome, setOutcome] = useState<ReportOutcome>(decision.outcome ?? 'removed');
  const [publicNote, setPublicNote] = useState(decision.publicNote ?? '');
  const [internalNote, setInternalNote] = useState(decision.internalNote ?? '');
  const [assignee, setAssignee] = useState(decision.assignee?.id ?? '');
  const options = [...assignees];
  if (decision.assignee && !options.some((option) => option.id === decision.assignee?.id)) options.push(decision.assignee);
  return (
    <section aria-labelledby="decision-heading">
      <h2 id="decision-heading">{t('decision_title')}</h2>
      {decision.decidedBy && decision.decidedAt && <p class="hint">{t('decision_last', decision.decidedBy.email, dateTime(decision.decidedAt))}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSave({
            state,
            ...(state === 'closed' ? { outcome } : {}),
            publicNote: publicNote.trim(),
            internalNote: internalNote.trim(),
            assigneeId: assignee === '' ? null : assignee,
          });
        }}
      >
        <label>
          {t('status')}
          <select value={state} onChange={(e) => setState(e.currentTarget.value as ReportState)}>
            {REPORT_STATES.map((value) => (
              <option value={value}>{t(`state_${value}`)}</option>
            ))}
          </select>
        </label>
        {state === 'closed' && (
          <label>
            {t('outcome')}
            <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as ReportOutcome)}>
              {REPORT_OUTCOMES.map((value) => (
                <option value={value}>{t(`outcome_${value}`)}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('publicNote')}
          <textarea
            rows={3}
            maxLength={PUBLIC_NOTE_MAX}
            aria-describedby="public-note-hint"
            value={publicNote}
            onInput={(e) => setPublicNote(e.currentTarget.value)}
          />
        </label>
        <p id="public-note-hint" class="hint">
          {t('publicNote_hint')}
        </p>
        <label>
          {t('internalNote')}
          <textarea rows={3} aria-describedby="internal-note-hint" value={internalNote} onInput={(e) => setInternalNote(e.currentTarget.value)} />
        </label>
        <p id="internal-note-hint" class="hint">
          {t('internalNote_hint')}
        </p>
        <label>
          {t('assignTo')}
          <select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
            <option value="">{t('assign_nobody')}</option>
            {options.map((option) => (
              <option value={option.id}>{option.email}</option>
            ))}
          </select>
        </label>
        <ErrorText failure={action.error} />
        {action.done && <StatusText>{t('decision_saved')}</StatusText>}
        <button type="submit" disabled={action.busy}>
          {t('save')}
        </button>
      </form>
    </section>
  );
}
