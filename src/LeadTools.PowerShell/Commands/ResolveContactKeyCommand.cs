using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Resolves any id a person ever had (lead id, old contact id) to their current ContactKey.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Resolve, "ContactKey")]
    [OutputType(typeof(ContactKeyResolution))]
    public sealed class ResolveContactKeyCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;

        /// <summary>The ids to resolve; records bind by their Id property.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>Opens the store read-only.</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: false);

        /// <summary>Resolves each id.</summary>
        protected override void ProcessRecord()
        {
            var store = _session!.Store;
            foreach (var id in Id)
            {
                var entry = store.Find(id);
                WriteObject(new ContactKeyResolution(id, store.Resolve(id), store.Chain(id).ToArray(), entry));
            }
        }

        /// <summary>Closes the store.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
