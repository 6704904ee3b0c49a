using System;
using System.Management.Automation;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Returns, per lead and contact, its active response and opportunity-active responses.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ActiveResponse")]
    [OutputType(typeof(ActiveResponseInfo))]
    public sealed class GetActiveResponseCommand : FunnelExportCommandBase
    {
        /// <summary>Analyzes and writes one result per person.</summary>
        protected override void Complete()
        {
            foreach (var p in Analyzer.AnalyzeAll(People, Memberships)) WriteObject(new ActiveResponseInfo(p));
        }
    }
}
