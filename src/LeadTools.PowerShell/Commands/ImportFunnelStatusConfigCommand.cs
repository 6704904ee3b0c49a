using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads and validates a funnel status configuration, from a JSON file or a hashtable/object; an error names the file and the key that is wrong.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "FunnelStatusConfig", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(FunnelConfig))]
    public sealed class ImportFunnelStatusConfigCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string ObjectSet = "Object";

        /// <summary>The JSON file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [Alias("PSPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The configuration as a hashtable or object with the keys of the JSON file (docs/funnel-config-schema.md), e.g. built in a script or from ConvertFrom-Json.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectSet)]
        [ValidateNotNull]
        public object InputObject { get; set; } = null!;

        /// <summary>Loads the file or reads the object.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ObjectSet)
            {
                try
                {
                    WriteObject(FunnelConfigObjects.Parse(InputObject));
                }
                catch (ConfigurationException ex)
                {
                    WriteError(Errors.Create(ex, "InvalidFunnelConfig", ErrorCategory.InvalidData, ex.Key ?? (object)InputObject));
                }
                return;
            }
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
