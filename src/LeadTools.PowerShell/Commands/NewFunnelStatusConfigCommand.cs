using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using LeadTools.Core.Funnel;
using LeadTools.Core.IO;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a starter funnel status configuration (the built-in example) to a JSON file to edit.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FunnelStatusConfig", SupportsShouldProcess = true)]
    [OutputType(typeof(FileInfo))]
    public sealed class NewFunnelStatusConfigCommand : PSCmdlet
    {
        /// <summary>The file to write.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Replace an existing file (otherwise it is refused).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Writes the file atomically.</summary>
        protected override void EndProcessing()
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(path, "Write the example funnel status configuration")) return;
            try
            {
                using var file = new AtomicFileWriter(path, Force.IsPresent ? ExistingFile.OverwriteReadOnly : ExistingFile.Fail);
                var bytes = new UTF8Encoding(false).GetBytes(FunnelConfig.ExampleJson);
                file.Stream.Write(bytes, 0, bytes.Length);
                file.Commit();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, File.Exists(path) && !Force.IsPresent ? "FileExists" : "CannotWriteFile", ErrorCategory.WriteError, path));
            }
            WriteObject(new FileInfo(path));
        }
    }
}
