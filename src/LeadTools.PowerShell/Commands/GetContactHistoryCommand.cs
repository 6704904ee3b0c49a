using System;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Returns a person's whole engagement history across every key they ever had.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ContactHistory", DefaultParameterSetName = "Records")]
    [OutputType(typeof(ContactHistoryEntry))]
    public sealed class GetContactHistoryCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;
        private readonly System.Collections.Generic.List<Core.Records.CrmRecord> _records = new System.Collections.Generic.List<Core.Records.CrmRecord>();

        /// <summary>Any id of the person (lead id, contact id, old merged id).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Id { get; set; } = string.Empty;

        /// <summary>Engagement records to search: campaign members, tasks, events, email sends, individual email results.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Records")]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Engagement files to search instead of pipeline records.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Path")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Opens the store read-only.</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: false);

        /// <summary>Collects the records.</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in InputObject)
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r != null) _records.Add(r);
            }
        }

        /// <summary>Searches and writes the history, oldest first.</summary>
        protected override void EndProcessing()
        {
            System.Collections.Generic.IEnumerable<Core.Records.CrmRecord> source = _records;
            if (ParameterSetName == "Path")
            {
                var reader = new Core.Import.RecordReader(new Core.Import.ImportOptions(), issue =>
                {
                    if (issue.IsWarning) WriteWarning(issue.ToString());
                    else WriteError(Errors.FromIssue(issue));
                });
                var files = Path.SelectMany(p => GetResolvedProviderPathFromPSPath(p, out _)).ToList();
                source = reader.ReadFiles(files);
            }
            if (_session!.Store.Find(Id) == null) WriteWarning($"The key store does not know {Id}; only records filed under {Id} itself are found.");
            foreach (var entry in PersonQueries.History(_session.Store, Id, source)) WriteObject(new ContactHistoryEntry(entry));
        }

        /// <summary>Closes the store.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
