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
        public override string ToString() => $"{ObjectType} {Id ?? "#" + RecordNumber} {Field} = {Value}";
    }

    /// <summary>
    /// Spots and neutralises values that start with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return.
    /// Plain numbers and phone numbers (<c>+1 (408) 555-0100</c>, <c>-12.5</c>) are not formulas and are left alone.
    /// </summary>
    public sealed class FormulaGuard
    {
        private const int KeepAtMost = 1000;
        private static readonly Regex NumberLike = new Regex(@"^[+-]?[0-9 ().,/-]*$", RegexOptions.CultureInvariant);
        private readonly List<FormulaFinding> _findings = new List<FormulaFinding>();

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
            return c == '=' || c == '@' || !NumberLike.IsMatch(value);
        }

        /// <summary>Checks a value; returns it, escaped when <see cref="Escape"/> is on.</summary>
        public string Check(string value, string? objectType, string? id, long recordNumber, string field)
        {
            if (!IsFormulaLike(value)) return value;
            Count++;
            if (_findings.Count < KeepAtMost) _findings.Add(new FormulaFinding(objectType, id, recordNumber, field, value));
            return Escape ? "'" + value : value;
        }
    }
}
