using System;
using System.Management.Automation;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Returns, per lead and contact, its active response and opportunity-active responses.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ActiveResponse")]
    [OutputType(typeof(ActiveResponseInfo))]
    public sealed class GetActiveResponseCommand : FunnelCommandBase
    {
        /// <summary>Records of a whole export: leads and contacts, their campaign members, opportunities and campaigns, in any order.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Campaign members, opportunities and campaigns given apart from the people.</summary>
        [Parameter]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>Collects.</summary>
        protected override void ProcessRecord() => TakeAll(InputObject);

        /// <summary>Analyzes and writes one result per person.</summary>
        protected override void EndProcessing()
        {
            TakeAll(RelatedRecord);
            foreach (var p in Analyzer.AnalyzeAll(People, Memberships)) WriteObject(new ActiveResponseInfo(p));
        }
    }
}
