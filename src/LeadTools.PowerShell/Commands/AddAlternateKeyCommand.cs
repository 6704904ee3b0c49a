using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Registers leads and contacts in the alternate key store: a new id is its own ContactKey; a lead the export marks converted (IsConverted, ConvertedContactId) resolves to its contact.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "AlternateKey", SupportsShouldProcess = true)]
    [OutputType(typeof(AlternateKey))]
    public sealed class AddAlternateKeyCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;
        private int _added;
        private int _conversions;

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
                if (SalesforceConversions.IsConvertedLead(record))
                {
                    // Converted in Salesforce: the lead is an alternate key of the contact it became, not a key of its own.
                    var conversion = SalesforceConversions.Record(store, record, DateTime.UtcNow)!;
                    switch (conversion.Result)
                    {
                        case null:
                            WriteError(Errors.Create(new InvalidDataException(conversion.Message), "ConvertedContactUnknown", ErrorCategory.InvalidData, item));
                            continue;
                        case SalesforceConversionResult.Conflict:
                            WriteError(Errors.Create(new InvalidOperationException(conversion.Message), "KeyConflict", ErrorCategory.InvalidData, item));
                            continue;
                        case SalesforceConversionResult.AlreadyKnown:
                            WriteVerbose(conversion.Message);
                            continue;
                        default:
                            WriteVerbose(conversion.Message);
                            _conversions++;
                            if (PassThru.IsPresent) WriteObject(new AlternateKey(store.Find(record.Id)!, store.Resolve(record.Id)!));
                            continue;
                    }
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
            if (_session!.Store.IsDirty && ShouldProcess(_session.FilePath, $"Register {_added} new key(s) and {_conversions} conversion(s) done in Salesforce")) SaveKeyStore(_session);
            WriteVerbose($"Registered {_added} new key(s) and {_conversions} conversion(s) done in Salesforce; the store holds {_session.Store.Count}.");
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
