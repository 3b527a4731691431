/**
 * CQL2 text (OGC 21-065, the filter language of OGC API – Features Part 3), parsed by a small
 * recursive-descent parser into a tree, then compiled into parameterized SQL over a collection's
 * view `v`. Property names resolve only through the collection's queryables (an allow-list of view
 * columns); every literal becomes a `$n` parameter. Nothing of the request text reaches the SQL.
 *
 * Supported: comparisons (= <> != < <= > >=), AND / OR / NOT, parentheses, [NOT] LIKE (and ILIKE),
 * [NOT] IN (…), [NOT] BETWEEN … AND …, IS [NOT] NULL, TRUE / FALSE, DATE('…'), TIMESTAMP('…'),
 * and the spatial predicates S_INTERSECTS, S_DISJOINT, S_EQUALS, S_TOUCHES, S_WITHIN, S_OVERLAPS,
 * S_CROSSES, S_CONTAINS over WKT literals (POINT … MULTIPOLYGON) and BBOX(…).
 */
import { ApiProblem } from '../errors.ts';
import { geometryFrom, parseBbox, type CrsDef } from './crs.ts';

export type QueryableType = 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'date-time' | 'array' | 'geometry';

/** A property a filter may name, and the view column it reads. */
export interface Queryable {
  name: string;
  column: string;
  type: QueryableType;
}

const MAX_FILTER_LENGTH = 20_000;
const MAX_DEPTH = 64;

// ---------------------------------------------------------------- tokens

type TokenType = 'ident' | 'string' | 'number' | 'op' | 'punct' | 'end';

interface Token {
  type: TokenType;
  text: string;
  /** Identifier upper-cased (keywords), string unescaped, number as written. */
  value: string;
  /** 0-based offset in the filter text. */
  pos: number;
  quoted?: boolean;
}

export class CqlError extends ApiProblem {
  constructor(message: string, pos: number, source: string) {
    const near = source.slice(pos, pos + 20);
    super(400, 'invalid_filter', `filter: ${message} at character ${pos + 1}${near ? ` (near '${near}')` : ' (at the end)'}`, 'filter');
  }
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new CqlError('unterminated string', start, src);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i++];
      }
      tokens.push({ type: 'string', text: src.slice(start, i), value, pos: start });
    } else if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) throw new CqlError('unterminated quoted property name', start, src);
      const name = src.slice(i + 1, end);
      i = end + 1;
      tokens.push({ type: 'ident', text: src.slice(start, i), value: name, pos: start, quoted: true });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      i += m[0].length;
      tokens.push({ type: 'number', text: m[0], value: m[0], pos: start });
    } else if (/[\p{L}_]/u.test(c)) {
      const m = /^[\p{L}_][\p{L}\p{N}_.:]*/u.exec(src.slice(i))!;
      i += m[0].length;
      tokens.push({ type: 'ident', text: m[0], value: m[0].toUpperCase(), pos: start });
    } else if (c === '<' || c === '>' || c === '!' || c === '=') {
      const two = src.slice(i, i + 2);
      const op = ['<=', '>=', '<>', '!='].includes(two) ? two : c;
      if (op === '!') throw new CqlError(`unexpected character '!'`, start, src);
      i += op.length;
      tokens.push({ type: 'op', text: op, value: op === '!=' ? '<>' : op, pos: start });
    } else if ('(),-+'.includes(c)) {
      i++;
      tokens.push({ type: 'punct', text: c, value: c, pos: start });
    } else {
      throw new CqlError(`unexpected character '${c}'`, start, src);
    }
  }
  tokens.push({ type: 'end', text: '', value: '', pos: src.length });
  return tokens;
}

// ---------------------------------------------------------------- tree

export type Scalar =
  | { kind: 'property'; name: string; pos: number }
  | { kind: 'literal'; type: 'string' | 'number' | 'boolean' | 'date' | 'timestamp'; value: string | number | boolean; pos: number };

export type GeometryOperand =
  | { kind: 'property'; name: string; pos: number }
  | { kind: 'wkt'; wkt: string; pos: number }
  | { kind: 'bbox'; numbers: number[]; pos: number };

export type FilterNode =
  | { kind: 'and' | 'or'; args: FilterNode[] }
  | { kind: 'not'; arg: FilterNode }
  | { kind: 'compare'; op: string; left: Scalar; right: Scalar }
  | { kind: 'like'; negated: boolean; caseInsensitive: boolean; left: Scalar; right: Scalar }
  | { kind: 'in'; negated: boolean; left: Scalar; list: Scalar[] }
  | { kind: 'between'; negated: boolean; value: Scalar; low: Scalar; high: Scalar }
  | { kind: 'isNull'; negated: boolean; arg: Scalar }
  | { kind: 'spatial'; fn: string; left: GeometryOperand; right: GeometryOperand; pos: number }
  | { kind: 'boolean'; value: Scalar };

const SPATIAL_FUNCTIONS: Record<string, string> = {
  S_INTERSECTS: 'ST_Intersects',
  S_DISJOINT: 'ST_Disjoint',
  S_EQUALS: 'ST_Equals',
  S_TOUCHES: 'ST_Touches',
  S_WITHIN: 'ST_Within',
  S_OVERLAPS: 'ST_Overlaps',
  S_CROSSES: 'ST_Crosses',
  S_CONTAINS: 'ST_Contains',
};
const GEOMETRY_TYPES = ['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON'];
const RESERVED = new Set(['AND', 'OR', 'NOT', 'LIKE', 'ILIKE', 'IN', 'IS', 'NULL', 'BETWEEN', 'TRUE', 'FALSE']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[], private readonly src: string) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)];
  }
  private next(): Token {
    return this.tokens[Math.min(this.i++, this.tokens.length - 1)];
  }
  private fail(message: string, token = this.peek()): never {
    throw new CqlError(message, token.pos, this.src);
  }
  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'ident' && !t.quoted && t.value === word;
  }
  private isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'punct' && t.value === p;
  }
  private expectPunct(p: string): Token {
    if (!this.isPunct(p)) this.fail(`expected '${p}' but found ${describe(this.peek())}`);
    return this.next();
  }
  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(`expected ${word} but found ${describe(this.peek())}`);
    this.next();
  }

  parse(): FilterNode {
    if (this.peek().type === 'end') this.fail('the filter is empty');
    const node = this.orExpression();
    if (this.peek().type !== 'end') this.fail(`unexpected ${describe(this.peek())}`);
    return node;
  }

  private orExpression(): FilterNode {
    const args = [this.andExpression()];
    while (this.isKeyword('OR')) {
      this.next();
      args.push(this.andExpression());
    }
    return args.length === 1 ? args[0] : { kind: 'or', args };
  }

  private andExpression(): FilterNode {
    const args = [this.notExpression()];
    while (this.isKeyword('AND')) {
      this.next();
      args.push(this.notExpression());
    }
    return args.length === 1 ? args[0] : { kind: 'and', args };
  }

  private notExpression(): FilterNode {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', arg: this.nested(() => this.notExpression()) };
    }
    return this.primary();
  }

  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`the filter nests deeper than ${MAX_DEPTH} levels`);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private primary(): FilterNode {
    const t = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const inner = this.nested(() => this.orExpression());
      this.expectPunct(')');
      return inner;
    }
    if (t.type === 'ident' && !t.quoted && SPATIAL_FUNCTIONS[t.value] && this.isPunct('(', 1)) return this.spatial();
    if (t.type === 'ident' && !t.quoted && t.value.startsWith('S_') && this.isPunct('(', 1)) {
      this.fail(`unknown spatial function ${t.text}; use one of ${Object.keys(SPATIAL_FUNCTIONS).join(', ')}`);
    }
    return this.predicate();
  }

  private predicate(): FilterNode {
    const left = this.scalar();
    const t = this.peek();
    if (t.type === 'op') {
      this.next();
      return { kind: 'compare', op: t.value, left, right: this.scalar() };
    }
    const negated = this.isKeyword('NOT') && (this.isKeyword('LIKE', 1) || this.isKeyword('ILIKE', 1) || this.isKeyword('IN', 1) || this.isKeyword('BETWEEN', 1));
    if (negated) this.next();
    if (this.isKeyword('LIKE') || this.isKeyword('ILIKE')) {
      const caseInsensitive = this.next().value === 'ILIKE';
      return { kind: 'like', negated, caseInsensitive, left, right: this.scalar() };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectPunct('(');
      const list = [this.scalar()];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.scalar());
      }
      this.expectPunct(')');
      return { kind: 'in', negated, left, list };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.scalar();
      this.expectKeyword('AND');
      return { kind: 'between', negated, value: left, low, high: this.scalar() };
    }
    if (negated) this.fail('expected LIKE, IN or BETWEEN after NOT');
    if (this.isKeyword('IS')) {
      this.next();
      const not = this.isKeyword('NOT');
      if (not) this.next();
      this.expectKeyword('NULL');
      return { kind: 'isNull', negated: not, arg: left };
    }
    if ((left.kind === 'literal' && left.type === 'boolean') || left.kind === 'property') return { kind: 'boolean', value: left };
    return this.fail(`expected a comparison operator, LIKE, IN, BETWEEN or IS but found ${describe(t)}`);
  }

  private scalar(): Scalar {
    const t = this.peek();
    if (t.type === 'string') {
      this.next();
      return { kind: 'literal', type: 'string', value: t.value, pos: t.pos };
    }
    if (t.type === 'number' || (t.type === 'punct' && (t.value === '-' || t.value === '+'))) {
      return { kind: 'literal', type: 'number', value: this.number(), pos: t.pos };
    }
    if (t.type === 'ident' && !t.quoted) {
      if (t.value === 'TRUE' || t.value === 'FALSE') {
        this.next();
        return { kind: 'literal', type: 'boolean', value: t.value === 'TRUE', pos: t.pos };
      }
      if ((t.value === 'DATE' || t.value === 'TIMESTAMP') && this.isPunct('(', 1)) {
        this.next();
        this.next();
        const s = this.peek();
        if (s.type !== 'string') this.fail(`${t.value}(…) takes a quoted value such as '2024-05-01'`);
        this.next();
        this.expectPunct(')');
        const pattern = t.value === 'DATE' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
        if (!pattern.test(s.value) || Number.isNaN(Date.parse(s.value))) {
          this.fail(`'${s.value}' is not a valid ${t.value === 'DATE' ? 'date (YYYY-MM-DD)' : 'timestamp (RFC 3339, e.g. 2024-05-01T08:00:00Z)'}`, s);
        }
        return { kind: 'literal', type: t.value === 'DATE' ? 'date' : 'timestamp', value: s.value, pos: t.pos };
      }
      if (RESERVED.has(t.value)) this.fail(`expected a property or a value but found ${describe(t)}`);
      if (this.isPunct('(', 1)) this.fail(`unknown function ${t.text}`);
    }
    if (t.type === 'ident') {
      this.next();
      return { kind: 'property', name: t.quoted ? t.value : t.text, pos: t.pos };
    }
    return this.fail(`expected a property or a value but found ${describe(t)}`);
  }

  private number(): number {
    let sign = 1;
    if (this.isPunct('-') || this.isPunct('+')) sign = this.next().value === '-' ? -1 : 1;
    const t = this.peek();
    if (t.type !== 'number') this.fail(`expected a number but found ${describe(t)}`);
    this.next();
    return sign * Number(t.value);
  }

  private spatial(): FilterNode {
    const fnToken = this.next();
    this.expectPunct('(');
    const left = this.geometryOperand();
    this.expectPunct(',');
    const right = this.geometryOperand();
    this.expectPunct(')');
    return { kind: 'spatial', fn: fnToken.value, left, right, pos: fnToken.pos };
  }

  private geometryOperand(): GeometryOperand {
    const t = this.peek();
    if (t.type === 'ident' && !t.quoted && t.value === 'BBOX' && this.isPunct('(', 1)) {
      this.next();
      this.next();
      const numbers = [this.number()];
      while (this.isPunct(',')) {
        this.next();
        numbers.push(this.number());
      }
      this.expectPunct(')');
      if (numbers.length !== 4 && numbers.length !== 6) this.fail('BBOX takes 4 numbers (or 6 with heights)', t);
      return { kind: 'bbox', numbers, pos: t.pos };
    }
    if (t.type === 'ident' && !t.quoted && GEOMETRY_TYPES.includes(t.value)) {
      this.next();
      return { kind: 'wkt', wkt: `${t.value}${this.geometryBody(t.value)}`, pos: t.pos };
    }
    if (t.type === 'ident' && !RESERVED.has(t.value)) {
      this.next();
      return { kind: 'property', name: t.quoted ? t.value : t.text, pos: t.pos };
    }
    return this.fail(`expected a geometry (POINT, POLYGON, BBOX …) or the geometry property but found ${describe(t)}`);
  }

  /** The parenthesized coordinates of a WKT geometry, re-written from the parsed numbers. */
  private geometryBody(type: string): string {
    const position = () => {
      const x = this.number();
      const y = this.number();
      // A third number (height) is read and dropped: the data is 2D.
      if (this.peek().type === 'number' || this.isPunct('-')) this.number();
      return `${x} ${y}`;
    };
    const list = <T>(item: () => T): T[] => {
      this.expectPunct('(');
      const items = [item()];
      while (this.isPunct(',')) {
        this.next();
        items.push(item());
      }
      this.expectPunct(')');
      return items;
    };
    const ring = () => {
      const start = this.peek();
      const points = list(position);
      if (points.length < 4) this.fail('a polygon ring needs at least 4 positions', start);
      if (points[0] !== points[points.length - 1]) this.fail('a polygon ring must end where it starts', start);
      return `(${points.join(',')})`;
    };
    const line = () => `(${list(position).join(',')})`;
    switch (type) {
      case 'POINT':
        return `(${list(position).join(',')})`;
      case 'LINESTRING':
        return line();
      case 'POLYGON':
        return `(${list(ring).join(',')})`;
      case 'MULTIPOINT':
        // Both MULTIPOINT((1 2),(3 4)) and MULTIPOINT(1 2,3 4) are written.
        return `(${list(() => (this.isPunct('(') ? `(${list(position).join(',')})` : `(${position()})`)).join(',')})`;
      case 'MULTILINESTRING':
        return `(${list(line).join(',')})`;
      default:
        return `(${list(() => `(${list(ring).join(',')})`).join(',')})`;
    }
  }
}

function describe(t: Token): string {
  if (t.type === 'end') return 'the end of the filter';
  return `'${t.text}'`;
}

/** Parses CQL2 text; a syntax error is a 400 naming the character where it happened. */
export function parseCql2(text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw new ApiProblem(400, 'invalid_filter', `filter: longer than ${MAX_FILTER_LENGTH} characters`, 'filter');
  return new Parser(tokenize(text), text).parse();
}

// ---------------------------------------------------------------- SQL

export interface CompileContext {
  queryables: ReadonlyMap<string, Queryable>;
  /** Adds a value and returns its placeholder ($n). */
  param: (value: unknown) => string;
  /** The CRS of geometry literals (filter-crs). */
  filterCrs: CrsDef;
  /** Where the queryables are listed, for messages. */
  queryablesUrl: string;
  source: string;
}

type Family = 'string' | 'number' | 'boolean' | 'date' | 'array' | 'geometry';
const familyOf = (t: QueryableType | 'timestamp'): Family =>
  t === 'integer' ? 'number' : t === 'date-time' || t === 'timestamp' ? 'date' : (t as Family);
const LITERAL_CAST: Record<string, string> = { string: 'text', number: 'double precision', boolean: 'boolean', date: 'date', timestamp: 'timestamptz' };
const OPS = new Set(['=', '<>', '<', '<=', '>', '>=']);

/** Compiles a parsed filter into one SQL condition on the view `v`. */
export function compileFilter(node: FilterNode, ctx: CompileContext): string {
  const fail = (message: string, pos: number): never => {
    throw new CqlError(message, pos, ctx.source);
  };
  const property = (name: string, pos: number): Queryable => {
    const q = ctx.queryables.get(name);
    if (!q) {
      throw new ApiProblem(400, 'unknown_property', `filter: property '${name.slice(0, 100)}' is not queryable in this collection (character ${pos + 1}); see ${ctx.queryablesUrl}`, 'filter');
    }
    return q;
  };
  const typeOf = (s: Scalar): Family => {
    if (s.kind === 'property') return familyOf(property(s.name, s.pos).type);
    return familyOf(s.type);
  };

  /** The SQL of a scalar; a literal beside a property is left untyped so PostgreSQL types it like the column. */
  const scalar = (s: Scalar, typedByNeighbour: boolean): string => {
    if (s.kind === 'property') {
      const q = property(s.name, s.pos);
      if (q.type === 'geometry') fail(`'${s.name}' is a geometry: use a spatial function such as S_INTERSECTS`, s.pos);
      if (q.type === 'array') fail(`'${s.name}' is a list: only IS NULL applies to it`, s.pos);
      return `v.${q.column}`;
    }
    const p = ctx.param(s.value);
    // Numbers are compared as numeric, so 2.5 against an integer column is not a type error.
    if (s.type === 'number') return `${p}::numeric`;
    return typedByNeighbour ? p : `${p}::${LITERAL_CAST[s.type]}`;
  };

  /** Checks that values of these scalars can be compared, and returns their SQL. */
  const comparable = (items: Scalar[]): string[] => {
    const anchor = items.find((s) => s.kind === 'property');
    const family = typeOf(anchor ?? items[0]);
    for (const s of items) {
      const f = typeOf(s);
      const dateString = family === 'date' && s.kind === 'literal' && s.type === 'string';
      if (dateString && !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(String(s.value))) {
        fail(`'${s.value}' is not a date (YYYY-MM-DD) or timestamp`, s.pos);
      }
      if (f !== family && !dateString) {
        const what = anchor?.kind === 'property' ? `'${anchor.name}' is ${article(family)}` : `the values are of different types`;
        fail(`${what}, so it cannot be compared with ${s.kind === 'property' ? `'${s.name}'` : `${article(f)} value`}`, s.pos);
      }
    }
    // Every literal is typed: text read as a date is cast as one (date = text has no operator), and an
    // untyped parameter compared with both a column and another literal gets two types and fails.
    const anchorIsDay = anchor?.kind === 'property' && property(anchor.name, anchor.pos).type === 'date';
    return items.map((s) => {
      if (s.kind !== 'literal' || family !== 'date' || s.type !== 'string') return scalar(s, false);
      const day = anchorIsDay && /^\d{4}-\d{2}-\d{2}$/.test(String(s.value));
      return `${ctx.param(s.value)}::${day ? 'date' : 'timestamptz'}`;
    });
  };

  const geometry = (g: GeometryOperand): string => {
    if (g.kind === 'property') {
      const q = property(g.name, g.pos);
      if (q.type !== 'geometry') fail(`'${g.name}' is not a geometry`, g.pos);
      return `v.${q.column}`;
    }
    const crs = ctx.filterCrs;
    if (g.kind === 'bbox') {
      const [minX, minY, maxX, maxY] = parseBbox(g.numbers.join(','), crs, 'filter');
      const env = `ST_MakeEnvelope(${ctx.param(minX)}::float8, ${ctx.param(minY)}::float8, ${ctx.param(maxX)}::float8, ${ctx.param(maxY)}::float8, ${crs.srid})`;
      // The box's edges are straight in its own CRS: add vertices so they stay close after projection.
      const dense = crs.srid === 4326 ? env : `ST_Segmentize(${env}, ${ctx.param(Math.max(maxX - minX, maxY - minY) / 32 || 1)}::float8)`;
      return crs.srid === 4326 ? dense : `ST_Transform(${dense}, 4326)`;
    }
    return geometryFrom(`ST_GeomFromText(${ctx.param(g.wkt)}::text, ${crs.srid})`, crs);
  };

  const compile = (n: FilterNode): string => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return `(${n.args.map(compile).join(n.kind === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${compile(n.arg)})`;
      case 'compare': {
        if (!OPS.has(n.op)) fail(`unknown operator '${n.op}'`, n.left.pos);
        const [l, r] = comparable([n.left, n.right]);
        return `(${l} ${n.op} ${r})`;
      }
      case 'like': {
        for (const s of [n.left, n.right]) {
          if (typeOf(s) !== 'string') fail('LIKE compares text only', s.pos);
        }
        // A backslash escapes the next character (% or _), so a pattern may not end with an unpaired one.
        const pattern = n.right;
        if (pattern.kind === 'literal' && /(^|[^\\])(\\\\)*\\$/.test(String(pattern.value))) fail('a LIKE pattern must not end with an unpaired backslash (write \\\\ for a backslash)', pattern.pos);
        const [l, r] = [n.left, n.right].map((s) => scalar(s, false));
        return `(${l} ${n.negated ? 'NOT ' : ''}${n.caseInsensitive ? 'ILIKE' : 'LIKE'} ${r})`;
      }
      case 'in': {
        const [l, ...list] = comparable([n.left, ...n.list]);
        return `(${l} ${n.negated ? 'NOT ' : ''}IN (${list.join(', ')}))`;
      }
      case 'between': {
        const [v, lo, hi] = comparable([n.value, n.low, n.high]);
        return `(${v} ${n.negated ? 'NOT ' : ''}BETWEEN ${lo} AND ${hi})`;
      }
      case 'isNull': {
        if (n.arg.kind === 'property') {
          const q = property(n.arg.name, n.arg.pos);
          return `(v.${q.column} IS ${n.negated ? 'NOT ' : ''}NULL)`;
        }
        return `(${scalar(n.arg, false)} IS ${n.negated ? 'NOT ' : ''}NULL)`;
      }
      case 'boolean': {
        if (typeOf(n.value) !== 'boolean') fail('expected a comparison (a value alone is a condition only when it is TRUE, FALSE or a boolean property)', n.value.pos);
        return `(${scalar(n.value, false)})`;
      }
      case 'spatial': {
        const a = geometry(n.left);
        const b = geometry(n.right);
        const fn = SPATIAL_FUNCTIONS[n.fn];
        // && lets the GiST index pick candidates; every predicate but disjoint implies it.
        return fn === 'ST_Disjoint' ? `${fn}(${a}, ${b})` : `(${a} && ${b} AND ${fn}(${a}, ${b}))`;
      }
    }
  };
  return compile(node);
}

function article(f: Family): string {
  return { string: 'a text', number: 'a number', boolean: 'a boolean', date: 'a date', array: 'a list', geometry: 'a geometry' }[f];
}
