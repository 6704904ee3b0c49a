using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace LeadTools.Core.Export
{
    /// <summary>A text value a spreadsheet would run as a formula (CSV / formula injection).</summary>
    public sealed class FormulaFinding
    {
        internal FormulaFinding(string? objectType, string? id, long recordNumber, string field, string value)
        {
            ObjectType = objectType;
            Id = id;
            RecordNumber = recordNumber;
            Field = field;
            Value = value;
        }

        /// <summary>The record's object type.</summary>
        public string? ObjectType { get; }
        /// <summary>The record's id.</summary>
        public string? Id { get; }
        /// <summary>1-based position of the record in the output.</summary>
        public long RecordNumber { get; }
        /// <summary>The field.</summary>
        public string Field { get; }
        /// <summary>The value as it was (before escaping).</summary>
        public string Value { get; }

        /// <inheritdoc />
        public override string ToString() => Field == FormulaGuard.HeaderField
            ? $"{ObjectType} header cell {Value}"
            : $"{ObjectType} {Id ?? "#" + RecordNumber} {Field} = {Value}";
    }

    /// <summary>
    /// Spots and neutralises values that start with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return.
    /// A value starting with <c>+</c> or <c>-</c> is safe only when a spreadsheet cannot compute anything from it:
    /// a plain number (<c>-12.5</c>, <c>+1,234</c>) or digit groups side by side, which no spreadsheet parses as a formula
    /// (phone numbers such as <c>+1 (408) 555-0100</c> or <c>+44 20 7946 0958</c>). Arithmetic such as <c>+1-1</c>,
    /// <c>-2-3</c> or <c>+1-408-555-0100</c> is a formula: Excel would show 0, -5 and -962.
    /// Used two ways: for a file meant for a spreadsheet (<see cref="Escape"/>: values and header cells get a leading
    /// apostrophe) and for a file meant for Data Loader or the Bulk API (never changed, only counted for a warning).
    /// </summary>
    public sealed class FormulaGuard
    {
        private const int KeepAtMost = 1000;
        private static readonly Regex NumberLike = new Regex(@"^[+-]?[0-9 ().,/*^-]*$", RegexOptions.CultureInvariant);
        private readonly List<FormulaFinding> _findings = new List<FormulaFinding>();

        /// <summary>The field name of findings in the CSV header row.</summary>
        public const string HeaderField = "(header)";

        /// <summary>True when values are escaped, not only reported.</summary>
        public bool Escape { get; }

        /// <summary>Creates a guard.</summary>
        public FormulaGuard(bool escape) => Escape = escape;

        /// <summary>How many formula-like values were seen.</summary>
        public long Count { get; private set; }

        /// <summary>The first findings (at most 1000).</summary>
        public IReadOnlyList<FormulaFinding> Findings => _findings;

        /// <summary>True when <paramref name="value"/> would be taken as a formula by a spreadsheet.</summary>
        public static bool IsFormulaLike(string value)
        {
            if (value.Length == 0) return false;
            var c = value[0];
            if (c == '\t' || c == '\r') return true;
            if (c != '=' && c != '+' && c != '-' && c != '@') return false;
            if (c == '=' || c == '@' || !NumberLike.IsMatch(value)) return true;
            // Only digits, signs, operators, parentheses and separators: a formula when it parses as arithmetic.
            return IsArithmetic(value);
        }

        /// <summary>Checks a value; returns it, escaped when <see cref="Escape"/> is on.</summary>
        public string Check(string value, string? objectType, string? id, long recordNumber, string field)
        {
            if (!IsFormulaLike(value)) return value;
            Count++;
            if (_findings.Count < KeepAtMost) _findings.Add(new FormulaFinding(objectType, id, recordNumber, field, value));
            return Escape ? "'" + value : value;
        }

        /// <summary>Checks a header cell (a field name); returns it, escaped when <see cref="Escape"/> is on.</summary>
        public string CheckHeader(string name, string? objectType) => Check(name, objectType, null, 0, HeaderField);

        // ------------------------------------------------------------ arithmetic: number (op number)*, signs, parentheses

        /// <summary>
        /// True when <paramref name="s"/> (digits, signs, operators, parentheses, separators) parses completely as a
        /// computation a spreadsheet would carry out: at least one operator, parenthesis or repeated sign. A plain signed
        /// number is not one; digit groups side by side (<c>+1 (408) 555</c>) do not parse, so they stay text.
        /// </summary>
        private static bool IsArithmetic(string s)
        {
            var parser = new Arithmetic(s);
            return parser.Expression() && parser.AtEnd() && parser.Computes;
        }

        private struct Arithmetic
        {
            private readonly string _s;
            private int _pos;

            public Arithmetic(string s)
            {
                _s = s;
                _pos = 0;
                Computes = false;
            }

            public bool Computes { get; private set; }

            public bool AtEnd()
            {
                Spaces();
                return _pos == _s.Length;
            }

            public bool Expression()
            {
                if (!Operand()) return false;
                while (true)
                {
                    Spaces();
                    if (_pos >= _s.Length || "+-*/^".IndexOf(_s[_pos]) < 0) return true;
                    _pos++;
                    Computes = true;
                    if (!Operand()) return false;
                }
            }

            private bool Operand()
            {
                Spaces();
                var signs = 0;
                while (_pos < _s.Length && (_s[_pos] == '+' || _s[_pos] == '-'))
                {
                    _pos++;
                    signs++;
                    Spaces();
                }
                if (signs > 1) Computes = true;
                if (_pos >= _s.Length) return false;
                if (_s[_pos] == '(')
                {
                    _pos++;
                    Computes = true;
                    if (!Expression()) return false;
                    Spaces();
                    if (_pos >= _s.Length || _s[_pos] != ')') return false;
                    _pos++;
                    return true;
                }
                var digits = 0;
                while (_pos < _s.Length && (char.IsDigit(_s[_pos]) || _s[_pos] == '.' || _s[_pos] == ','))
                {
                    if (char.IsDigit(_s[_pos])) digits++;
                    _pos++;
                }
                return digits > 0;
            }

            private void Spaces()
            {
                while (_pos < _s.Length && _s[_pos] == ' ') _pos++;
            }
        }
    }
}
