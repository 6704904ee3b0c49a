using System;
using System.Management.Automation;
using LeadTools.Core.Funnel;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reports every funnel integrity violation in an export: two active responses, an active status without a response outside passive mode, a response that does not match the status, and more.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FunnelIntegrity")]
    [OutputType(typeof(FunnelViolation))]
    public sealed class TestFunnelIntegrityCommand : FunnelCommandBase
    {
        /// <summary>Records of a whole export: leads and contacts, their campaign members, opportunities and campaigns, in any order.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Campaign members, opportunities and campaigns given apart from the people.</summary>
        [Parameter]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>Collects.</summary>
        protected override void ProcessRecord() => TakeAll(InputObject);

        /// <summary>Writes the violations, person by person.</summary>
        protected override void EndProcessing()
        {
            TakeAll(RelatedRecord);
            var count = 0;
            foreach (var p in Analyzer.AnalyzeAll(People, Memberships))
            {
                foreach (var v in p.Violations)
                {
                    count++;
                    WriteObject(v);
                }
            }
            WriteVerbose($"{People.Count} people and {Memberships.Count} campaign members checked; {count} violation(s).");
        }
    }
}
