using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Matching;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Explains why two records do or do not match under a matching strategy: every rule, every condition, the normalised values and the scores.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CrmMatch")]
    [OutputType(typeof(CrmMatchExplanation))]
    public sealed class TestCrmMatchCommand : MatchCommandBase
    {
        /// <summary>Creates the cmdlet: its default strategy is SafeMerge, the one safest to merge on.</summary>
        public TestCrmMatchCommand() => Strategy = SafeDefaultStrategy;

        private MatchKey? _reference;
        private long _seen;

        /// <summary>The record the others are compared with.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public PSObject ReferenceObject { get; set; } = null!;

        /// <summary>The records compared with -ReferenceObject, one explanation each.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        public PSObject[] DifferenceObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Resolves the strategy and normalises the reference record once.</summary>
        protected override void BeginProcessing()
        {
            ResolveStrategy();
            var reference = RecordConversion.ToRecord(ReferenceObject, null);
            if (reference == null)
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException("-ReferenceObject is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, ReferenceObject));
            }
            _reference = MatchStrategy.Normalise(reference!);
        }

        /// <summary>Explains each pair.</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in DifferenceObject)
            {
                _seen++;
                var record = RecordConversion.ToRecord(item, null);
                if (record == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Input {_seen} is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                var key = MatchStrategy.Normalise(record);
                WriteObject(new CrmMatchExplanation(new MatchExplanation(MatchStrategy, _reference!, key), _reference!.Record.Id, record.Id));
            }
        }
    }

    /// <summary>Why two records do or do not match (Test-CrmMatch).</summary>
    public sealed class CrmMatchExplanation
    {
        internal CrmMatchExplanation(MatchExplanation e, string? referenceId, string? differenceId)
        {
            ReferenceId = referenceId;
            DifferenceId = differenceId;
            Strategy = e.Strategy;
            IsMatch = e.IsMatch;
            Rule = e.Rule;
            Score = e.Score.HasValue ? Math.Round(e.Score.Value, 1) : (double?)null;
            Reason = e.Reason;
            Veto = e.Veto;
            Rules = e.Rules.Select(r => new CrmMatchRuleOutcome(r)).ToArray();
            Conditions = e.Rules.SelectMany(r => r.Conditions.Select(c => new CrmMatchConditionOutcome(r.Rule, c))).ToArray();
            Values = e.Values.Select(v => new CrmMatchValue(e.FieldName(v.Key), v.Value.A, v.Value.B)).ToArray();
        }

        /// <summary>The reference record's id.</summary>
        public string? ReferenceId { get; }
        /// <summary>The compared record's id.</summary>
        public string? DifferenceId { get; }
        /// <summary>The strategy.</summary>
        public string Strategy { get; }
        /// <summary>True when a rule held.</summary>
        public bool IsMatch { get; }
        /// <summary>The best rule that held (null when none).</summary>
        public string? Rule { get; }
        /// <summary>Its score, 0-100 (null when none held).</summary>
        public double? Score { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
        /// <summary>The veto that rejected a pair a rule matched (contradicting evidence: a different mailbox at one domain, different names), or null.</summary>
        public string? Veto { get; }
        /// <summary>Every rule: held or not, its score.</summary>
        public CrmMatchRuleOutcome[] Rules { get; }
        /// <summary>Every condition of every rule, flattened.</summary>
        public CrmMatchConditionOutcome[] Conditions { get; }
        /// <summary>The normalised values of the fields the strategy reads.</summary>
        public CrmMatchValue[] Values { get; }
    }

    /// <summary>One rule evaluated on a pair.</summary>
    public sealed class CrmMatchRuleOutcome
    {
        internal CrmMatchRuleOutcome(RuleOutcome r)
        {
            Rule = r.Rule;
            Matched = r.Matched;
            Score = r.Score.HasValue ? Math.Round(r.Score.Value, 1) : (double?)null;
            FailedConditions = string.Join(", ", r.Conditions.Where(c => !c.Passed).Select(c => c.Condition.FieldName));
        }

        /// <summary>The rule's name.</summary>
        public string Rule { get; }
        /// <summary>Whether every condition held.</summary>
        public bool Matched { get; }
        /// <summary>The rule's score when it held.</summary>
        public double? Score { get; }
        /// <summary>The fields whose condition failed.</summary>
        public string FailedConditions { get; }
    }

    /// <summary>One condition of a rule evaluated on a pair.</summary>
    public sealed class CrmMatchConditionOutcome
    {
        internal CrmMatchConditionOutcome(string rule, ConditionOutcome c)
        {
            Rule = rule;
            Field = c.Condition.FieldName;
            Method = c.Condition.Method.ToString() + (c.Condition.Characters > 0 ? "(" + c.Condition.Characters + ")" : string.Empty);
            Threshold = c.Condition.Threshold;
            ReferenceValue = c.ValueA;
            DifferenceValue = c.ValueB;
            Score = Math.Round(c.Score, 1);
            Passed = c.Passed;
            Transposed = c.Transposed;
        }

        /// <summary>The rule.</summary>
        public string Rule { get; }
        /// <summary>The field.</summary>
        public string Field { get; }
        /// <summary>The comparison method.</summary>
        public string Method { get; }
        /// <summary>The score it must reach.</summary>
        public double Threshold { get; }
        /// <summary>The reference record's normalised value.</summary>
        public string ReferenceValue { get; }
        /// <summary>The compared record's normalised value (its other name field when transposed).</summary>
        public string DifferenceValue { get; }
        /// <summary>The score, 0-100.</summary>
        public double Score { get; }
        /// <summary>Whether it reached the threshold.</summary>
        public bool Passed { get; }
        /// <summary>First and last name were compared swapped.</summary>
        public bool Transposed { get; }
    }

    /// <summary>A field's normalised value in both records.</summary>
    public sealed class CrmMatchValue
    {
        internal CrmMatchValue(string field, string reference, string difference)
        {
            Field = field;
            ReferenceValue = reference;
            DifferenceValue = difference;
        }

        /// <summary>The logical field.</summary>
        public string Field { get; }
        /// <summary>The reference record's normalised value.</summary>
        public string ReferenceValue { get; }
        /// <summary>The compared record's normalised value.</summary>
        public string DifferenceValue { get; }
    }
}
