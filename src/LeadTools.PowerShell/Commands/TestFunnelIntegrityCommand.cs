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
    public sealed class TestFunnelIntegrityCommand : FunnelExportCommandBase
    {
        /// <summary>Writes the violations, person by person.</summary>
        protected override void Complete()
        {
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
