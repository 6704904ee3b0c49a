using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Funnel;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows what a merge would do to the funnel (surviving status, responses resolved, memberships destroyed, archived and re-inserted), naming the SPEC 5.3/5.4 table row, without merging anything.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MergeOutcome")]
    [OutputType(typeof(FunnelOutcome))]
    public sealed class GetMergeOutcomeCommand : FunnelCommandBase
    {
        /// <summary>The record that survives (a lead, or a contact for merges and conversion merges).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public PSObject Survivor { get; set; } = null!;

        /// <summary>The records merged into it.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        public PSObject[] Duplicate { get; set; } = Array.Empty<PSObject>();

        /// <summary>Campaign members of the group, opportunities and campaigns (more records are fine: only the group's are used).</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>The status the admin picks for the survivor (default: the survivor's own).</summary>
        [Parameter]
        public string? SelectedStatus { get; set; }

        /// <summary>Collects related records.</summary>
        protected override void ProcessRecord() => TakeAll(RelatedRecord);

        /// <summary>Decides and writes the outcome.</summary>
        protected override void EndProcessing()
        {
            var survivor = RecordConversion.ToRecord(Survivor, null);
            var others = Duplicate.Select(d => RecordConversion.ToRecord(d, null)).ToList();
            if (survivor == null || others.Any(o => o == null))
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException("-Survivor and -Duplicate take lead or contact records."), "InputNotRecord", ErrorCategory.InvalidArgument, Survivor));
            }
            try
            {
                WriteObject(new MergeOutcomeEngine(Analyzer).Decide(survivor!, others!, Memberships, SelectedStatus));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "InvalidMergeGroup", ErrorCategory.InvalidArgument, survivor!.Id));
            }
        }
    }
}
