using System;
using System.Collections.Generic;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Counts the distinct ContactKeys (the contacts Marketing Cloud really has) of the key store or of the records given, by type: a converted lead and its contact count once.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "ContactKey")]
    [OutputType(typeof(ContactKeyMeasure))]
    public sealed class MeasureContactKeyCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;
        private readonly List<KeyValuePair<string, string?>> _ids = new List<KeyValuePair<string, string?>>();
        private bool _anyInput;

        /// <summary>Records (an export of leads, contacts and person accounts) or ids to count; omit to count the whole key store.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public PSObject[]? InputObject { get; set; }

        /// <summary>Opens the store read-only.</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: false);

        /// <summary>Collects the ids of the records given.</summary>
        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            foreach (var item in InputObject)
            {
                if (item == null) continue;
                _anyInput = true;
                if (item.BaseObject is string text)
                {
                    if (!string.IsNullOrWhiteSpace(text)) _ids.Add(new KeyValuePair<string, string?>(text, null));
                    continue;
                }
                var record = RecordConversion.ToRecord(item, null);
                if (record?.Id == null)
                {
                    WriteError(Errors.Create(new ArgumentException("The input has no Id to count."), "MissingId", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                _ids.Add(new KeyValuePair<string, string?>(record.Id, record.ObjectType));
            }
        }

        /// <summary>Writes the count.</summary>
        protected override void EndProcessing()
        {
            var count = PersonQueries.Count(_session!.Store, _anyInput ? _ids : null);
            WriteObject(new ContactKeyMeasure(count, !_anyInput));
        }

        /// <summary>Closes the store.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
