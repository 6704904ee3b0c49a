using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads and validates a funnel status configuration; an error names the file and the key that is wrong.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "FunnelStatusConfig")]
    [OutputType(typeof(FunnelConfig))]
    public sealed class ImportFunnelStatusConfigCommand : PSCmdlet
    {
        /// <summary>The JSON file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Loads the file.</summary>
        protected override void ProcessRecord()
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                WriteObject(FunnelConfig.Load(path));
            }
            catch (ConfigurationException ex)
            {
                WriteError(Errors.Create(ex, "InvalidFunnelConfig", ErrorCategory.InvalidData, ex.Key ?? path));
            }
        }
    }
}
