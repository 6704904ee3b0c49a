using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Funnel;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows what a merge would do to the funnel (surviving status, responses resolved, memberships destroyed, archived and re-inserted), naming the SPEC 5.3/5.4 table row, without merging anything.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MergeOutcome", DefaultParameterSetName = GroupSet)]
    [OutputType(typeof(FunnelOutcome))]
    public sealed class GetMergeOutcomeCommand : FunnelCommandBase
    {
        private const string GroupSet = "Group";
        private const string ExplicitSet = "Explicit";
        private int _groups;

        /// <summary>The records of one group (binds by property name from Find-CrmDuplicate output: Members/Records), as Merge-CrmRecord takes them.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = GroupSet)]
        [Alias("Members", "Records")]
        public PSObject[] Record { get; set; } = Array.Empty<PSObject>();

        /// <summary>The survivor's id within the group (binds by property name: SurvivorId/SuggestedSurvivorId). Omit: the contact of a conversion group, else the oldest created record (Merge-CrmRecord's default rule).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = GroupSet)]
        [Alias("SuggestedSurvivorId")]
        public string? SurvivorId { get; set; }

        /// <summary>A label for the group (binds by property name: GroupId).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = GroupSet)]
        public string? GroupId { get; set; }

        /// <summary>The record that survives (a lead, or a contact for merges and conversion merges).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ExplicitSet)]
        public PSObject Survivor { get; set; } = null!;

        /// <summary>The records merged into it.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ExplicitSet)]
        public PSObject[] Duplicate { get; set; } = Array.Empty<PSObject>();

        /// <summary>Campaign members of the group, opportunities and campaigns (more records are fine: only the group's are used). From the pipeline with -Survivor/-Duplicate; a parameter when groups come from the pipeline.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = ExplicitSet)]
        [Parameter(ParameterSetName = GroupSet)]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>The status the admin picks for the survivor (default: the survivor's own).</summary>
        [Parameter]
        public string? SelectedStatus { get; set; }

        /// <summary>The user doing the merge runs in passive mode (seed 001); also the configuration's passive.mergingUser.</summary>
        [Parameter]
        public SwitchParameter PassiveUser { get; set; }

        /// <summary>Groups from the pipeline: the related records are known before the first group.</summary>
        protected override void BeginProcessing()
        {
            if (ParameterSetName == GroupSet) TakeAll(RelatedRecord);
        }

        /// <summary>Collects related records (-Survivor/-Duplicate), or decides each group as it comes.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ExplicitSet)
            {
                TakeAll(RelatedRecord);
                return;
            }
            var label = GroupId ?? (++_groups).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var records = new List<CrmRecord>();
            foreach (var item in Record)
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Group {label}: a member is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    return;
                }
                records.Add(r);
            }
            if (records.Count < 2)
            {
                WriteError(Errors.Create(new ArgumentException($"Group {label} has {records.Count} record(s); a merge needs two or more."), "GroupTooSmall", ErrorCategory.InvalidData, label));
                return;
            }
            CrmRecord? survivor;
            if (!string.IsNullOrWhiteSpace(SurvivorId))
            {
                survivor = records.FirstOrDefault(r => string.Equals(r.Id, SurvivorId, StringComparison.Ordinal));
                if (survivor == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Survivor {SurvivorId} is not in group {label} ({string.Join(", ", records.Select(r => r.Id))})."), "UnknownSurvivor", ErrorCategory.InvalidData, label));
                    return;
                }
            }
            else
            {
                var contacts = records.Where(r => ObjectTypes.SameType(r.ObjectType, "Contact")).ToList();
                survivor = contacts.Count == 1 && records.Any(r => ObjectTypes.SameType(r.ObjectType, "Lead"))
                    ? contacts[0] // a conversion merge: the leads go into the contact
                    : new MergeEngine(new MergeOptions(), null).SelectSurvivor(records).Survivor;
            }
            Decide(survivor, records.Where(r => !ReferenceEquals(r, survivor)).ToList(), label);
        }

        /// <summary>Decides and writes the outcome (-Survivor/-Duplicate).</summary>
        protected override void EndProcessing()
        {
            if (ParameterSetName != ExplicitSet) return;
            var survivor = RecordConversion.ToRecord(Survivor, null);
            var others = Duplicate.Select(d => RecordConversion.ToRecord(d, null)).ToList();
            if (survivor == null || others.Any(o => o == null))
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException("-Survivor and -Duplicate take lead or contact records."), "InputNotRecord", ErrorCategory.InvalidArgument, Survivor));
            }
            try
            {
                WriteOutcome(new MergeOutcomeEngine(Analyzer, PassiveUser.IsPresent).Decide(survivor!, others!, Memberships, SelectedStatus));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "InvalidMergeGroup", ErrorCategory.InvalidArgument, survivor!.Id));
            }
        }

        private void Decide(CrmRecord survivor, List<CrmRecord> others, string label)
        {
            try
            {
                WriteOutcome(new MergeOutcomeEngine(Analyzer, PassiveUser.IsPresent).Decide(survivor, others, Memberships, SelectedStatus, label));
            }
            catch (ArgumentException ex)
            {
                WriteError(Errors.Create(ex, "InvalidMergeGroup", ErrorCategory.InvalidData, label));
            }
        }

        private void WriteOutcome(FunnelOutcome outcome)
        {
            foreach (var w in outcome.Warnings) WriteWarning(w);
            WriteObject(outcome);
        }
    }
}
