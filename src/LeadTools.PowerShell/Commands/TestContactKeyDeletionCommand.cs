using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks ids planned for deletion and reports each one that would delete a live contact (an old key of a live lead or contact) or that the key store does not know.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ContactKeyDeletion")]
    [OutputType(typeof(ContactKeyDeletionCheck))]
    public sealed class TestContactKeyDeletionCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;
        private Dictionary<string, CrmRecord>? _existing;

        /// <summary>The ids someone plans to delete; records bind by their Id property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Write only the ids that are not safe to delete: those that would delete a live contact, and those the key store does not know.</summary>
        [Parameter]
        public SwitchParameter Unsafe { get; set; }

        /// <summary>The org's leads, contacts and person accounts (an export): a verdict then names the live record it would delete (name, email) and carries it.</summary>
        [Parameter]
        public PSObject[]? ExistingRecord { get; set; }

        /// <summary>Opens the store read-only and indexes the existing records.</summary>
        protected override void BeginProcessing()
        {
            _session = OpenKeyStore(forWrite: false);
            if (ExistingRecord == null) return;
            _existing = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
            foreach (var item in ExistingRecord)
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r?.Id != null && !_existing.ContainsKey(r.Id)) _existing[r.Id] = r;
            }
        }

        /// <summary>Checks each id.</summary>
        protected override void ProcessRecord()
        {
            foreach (var id in Id)
            {
                var check = PersonQueries.CheckDeletion(_session!.Store, id, _existing);
                if (Unsafe.IsPresent && check.IsSafe) continue;
                WriteObject(new ContactKeyDeletionCheck(check));
            }
        }

        /// <summary>Closes the store.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
