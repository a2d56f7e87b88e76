import { useState } from 'react';

/**
 * A verdict on one item with a note: the second verdict (deny, reject) needs the note, the first
 * does not. What a verdict does is the caller's; when it fails, its message shows here.
 */
export function VerdictForm(props: {
  noteLabel: string;
  yes: string;
  no: string;
  onVerdict: (verdict: 'yes' | 'no', note: string) => Promise<void>;
}) {
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const act = async (verdict: 'yes' | 'no') => {
    setError('');
    try {
      await props.onVerdict(verdict, note);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="decide">
      <label>
        {props.noteLabel}
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} />
      </label>
      <div className="buttons">
        <button type="button" className="approve" onClick={() => void act('yes')}>
          {props.yes}
        </button>
        <button type="button" className="deny" onClick={() => void act('no')} disabled={!note.trim()}>
          {props.no}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
