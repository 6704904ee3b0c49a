using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the alternate keys (every id) of the people behind the given ids, with how and when each was linked.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AlternateKey")]
    [OutputType(typeof(AlternateKey))]
    public sealed class GetAlternateKeyCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;

        /// <summary>Ids of the people whose keys to list; omit to list every key in the store.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Id { get; set; }

        /// <summary>Opens the store read-only.</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: false);

        /// <summary>Writes the keys.</summary>
        protected override void ProcessRecord()
        {
            var store = _session!.Store;
            if (Id == null)
            {
                foreach (var e in store.Entries) WriteObject(new AlternateKey(e, store.Resolve(e.Id)!));
                return;
            }
            foreach (var id in Id)
            {
                var keys = store.KeysOf(id);
                if (keys.Count == 0)
                {
                    WriteError(Errors.Create(new ItemNotFoundException($"The key store does not know {id}."), "KeyNotFound", ErrorCategory.ObjectNotFound, id));
                    continue;
                }
                var root = store.Resolve(id)!;
                foreach (var e in keys) WriteObject(new AlternateKey(e, root));
            }
        }

        /// <summary>Closes the store.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
