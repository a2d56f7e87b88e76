import { MARKING_LEVELS } from './draft-model.js';

/** The TLP marking field of a draft form (named `marking`, as the API reads it). */
export function MarkingSelect({ defaultValue }: { defaultValue: string }) {
  return (
    <label>
      Marking
      <select name="marking" defaultValue={defaultValue}>
        {MARKING_LEVELS.map((m) => (
          <option key={m} value={m}>
            TLP:{m.toUpperCase()}
          </option>
        ))}
      </select>
    </label>
  );
}
