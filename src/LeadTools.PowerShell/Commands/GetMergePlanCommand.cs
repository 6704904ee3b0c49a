using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Plans a bulk clean-up for execution in Salesforce: stale active statuses to deactivate first, same-type merges before conversion merges, split into merge requests of a master and at most two others, at most 200 per call, with the survivor's winning values.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MergePlan")]
    [OutputType(typeof(MergeRequest), typeof(StaleStatus))]
    public sealed class GetMergePlanCommand : PSCmdlet
    {
        private readonly List<MergeGroup> _groups = new List<MergeGroup>();

        /// <summary>The records of one group (binds by property name from Find-CrmDuplicate output: Members/Records).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Members", "Records")]
        public PSObject[] Record { get; set; } = Array.Empty<PSObject>();

        /// <summary>The survivor within the group (binds by property name: SurvivorId/SuggestedSurvivorId).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SuggestedSurvivorId")]
        public string? SurvivorId { get; set; }

        /// <summary>A label for the group (binds by property name).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? GroupId { get; set; }

        /// <summary>Campaign members, opportunities and campaigns of the groups: the plan then reports the memberships each merge would destroy (Salesforce deletes them without a trace) and writes them to 0-memberships-destroyed.csv.</summary>
        [Parameter]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>Ordered survivor rules (as for Merge-CrmRecord).</summary>
        [Parameter]
        public string[]? SurvivorRule { get; set; }

        /// <summary>Field rules (as for Merge-CrmRecord).</summary>
        [Parameter]
        public Hashtable? FieldRule { get; set; }

        /// <summary>The funnel status configuration (object or path): needed to find stale active statuses.</summary>
        [Parameter]
        [FunnelConfigTransformation]
        public FunnelConfig? Config { get; set; }

        /// <summary>An active status unchanged for this many days is stale (default 90).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int StaleAfterDays { get; set; } = 90;

        /// <summary>The inactive status stale records get first (default Nurture).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string DeactivateTo { get; set; } = "Nurture";

        /// <summary>Write the plan files (1-deactivate-stale.csv, 2-merge-requests.json, 3-convert-leads.csv) into this folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputFolder { get; set; }

        /// <summary>Collects the groups.</summary>
        protected override void ProcessRecord()
        {
            var records = Record.Select(r => RecordConversion.ToRecord(r, null)).Where(r => r != null).Select(r => r!).ToList();
            _groups.Add(new MergeGroup(records, SurvivorId, GroupId ?? (_groups.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        /// <summary>Builds and writes the plan.</summary>
        protected override void EndProcessing()
        {
            var rules = new MergeRules();
            try
            {
                rules.With(SurvivorRule, FieldRule);
            }
            catch (ConfigurationException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "InvalidMergeRules", ErrorCategory.InvalidArgument, ex.Key));
            }
            var related = (RelatedRecord ?? Array.Empty<PSObject>()).Select(r => RecordConversion.ToRecord(r, null)).Where(r => r != null).Select(r => r!).ToList();
            var plan = MergePlan.Build(_groups, new MergeOptions { Rules = rules }, Config, StaleAfterDays, DeactivateTo, DateTime.UtcNow, related);
            foreach (var warning in plan.Warnings) WriteWarning(warning);
            foreach (var problem in plan.Problems) WriteError(Errors.Create(new InvalidDataException(problem), problem.Split(':')[0], ErrorCategory.InvalidData, null));
            foreach (var s in plan.Stale) WriteObject(s);
            foreach (var r in plan.Requests) WriteObject(r);
            if (OutputFolder != null)
            {
                foreach (var f in plan.Write(GetUnresolvedProviderPathFromPSPath(OutputFolder))) WriteVerbose("Wrote " + f);
            }
        }
    }
}
