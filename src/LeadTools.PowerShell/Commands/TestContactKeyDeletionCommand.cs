using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks ids planned for deletion and reports each one that resolves to a live contact.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ContactKeyDeletion")]
    [OutputType(typeof(ContactKeyDeletionCheck))]
    public sealed class TestContactKeyDeletionCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;

        /// <summary>The ids someone plans to delete; records bind by their Id property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Write only the ids whose deletion would delete a live contact.</summary>
        [Parameter]
        public SwitchParameter Unsafe { get; set; }

        /// <summary>Opens the store read-only.</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: false);

        /// <summary>Checks each id.</summary>
        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                var check = PersonQueries.CheckDeletion(_session!.Store, id);
                if (Unsafe.IsPresent && check.IsSafe) continue;
                WriteObject(new ContactKeyDeletionCheck(check));
            }
        }

        /// <summary>Closes the store.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
