using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Registers leads and contacts in the alternate key store: a new id is its own ContactKey.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "AlternateKey", SupportsShouldProcess = true)]
    [OutputType(typeof(AlternateKey))]
    public sealed class AddAlternateKeyCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;
        private int _added;

        /// <summary>Lead and contact records (or any objects with Id and, ideally, a LeadTools object type).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Write the key of each record added.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Opens the store for writing (locked).</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: true);

        /// <summary>Registers each record.</summary>
        protected override void ProcessRecord()
        {
            var store = _session!.Store;
            foreach (var item in InputObject)
            {
                var record = RecordConversion.ToRecord(item, null);
                if (record?.Id == null)
                {
                    WriteError(Errors.Create(new ArgumentException("The input has no Id to register."), "MissingId", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                if (store.Register(record.Id, record.ObjectType, DateTime.UtcNow))
                {
                    _added++;
                    if (PassThru.IsPresent) WriteObject(new AlternateKey(store.Find(record.Id)!, store.Resolve(record.Id)!));
                }
            }
        }

        /// <summary>Saves.</summary>
        protected override void EndProcessing()
        {
            if (_added > 0 && ShouldProcess(_session!.FilePath, $"Register {_added} new key(s)")) SaveKeyStore(_session);
            WriteVerbose($"Registered {_added} new key(s); the store holds {_session!.Store.Count}.");
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
