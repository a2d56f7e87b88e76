/** The syntax tree of a STIX 2.1 pattern (section 9). */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'binary'; value: string }
  | { kind: 'hex'; value: string }
  | { kind: 'timestamp'; value: string };

export type PathStep =
  | { kind: 'property'; name: string; quoted: boolean }
  | { kind: 'index'; index: number | '*' };

/** Where a node starts in the pattern text (1-based). */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface ObjectPath {
  objectType: string;
  steps: PathStep[];
  at: SourcePosition;
}

export type ComparisonOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'IN'
  | 'LIKE'
  | 'MATCHES'
  | 'ISSUBSET'
  | 'ISSUPERSET';

export type ComparisonExpr =
  | { kind: 'comparison-op'; op: 'AND' | 'OR'; left: ComparisonExpr; right: ComparisonExpr }
  | { kind: 'comparison-group'; expr: ComparisonExpr }
  | {
      kind: 'test';
      path: ObjectPath;
      negated: boolean;
      operator: ComparisonOperator;
      value: Literal | Literal[];
    }
  | { kind: 'exists'; path: ObjectPath };

export type Qualifier =
  | { kind: 'within'; seconds: number; literal: string }
  | { kind: 'repeats'; times: number }
  | { kind: 'start-stop'; start: string; stop: string };

export type ObservationExpr =
  | { kind: 'observation'; expr: ComparisonExpr }
  | { kind: 'observation-group'; expr: ObservationExpr }
  | { kind: 'qualified'; expr: ObservationExpr; qualifier: Qualifier; at: SourcePosition }
  | {
      kind: 'observation-op';
      op: 'AND' | 'OR' | 'FOLLOWEDBY';
      left: ObservationExpr;
      right: ObservationExpr;
    };
