using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Re-keys the provisional ids of records LeadTools created offline (003LT…, 001LT…) to the ids Salesforce assigned, from a Data Loader success file, a Bulk API result or an sf data import tree result.</para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "ContactKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContactKeyUpdate))]
    public sealed class UpdateContactKeyCommand : KeyStoreCommandBase, IDisposable
    {
        private const string PathSet = "Path";
        private const string PairSet = "Pair";
        private KeyStoreSession? _session;
        private int _rekeyed;
        private int _skipped;

        /// <summary>Result files of the inserts: Data Loader success files (success*.csv), Bulk API 2.0 successfulResults CSV, or the JSON of sf data import tree --json. Wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "PSPath")]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>A provisional id to re-key (bound by property name, so objects with ProvisionalId and SalesforceId can be piped in).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PairSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string ProvisionalId { get; set; } = string.Empty;

        /// <summary>The id Salesforce assigned to the record inserted with that provisional id.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PairSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string SalesforceId { get; set; } = string.Empty;

        /// <summary>Write one result per provisional id (Rekeyed, AlreadyRekeyed, NotInStore, ...).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Opens the key store for writing (locked for the run).</summary>
        protected override void BeginProcessing() => _session = OpenKeyStore(forWrite: true);

        /// <summary>Reads the result files (or the pair) and re-keys.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == PairSet)
            {
                Apply(new InsertedId(ProvisionalId.Trim(), SalesforceId.Trim(), null, "parameters"));
                return;
            }
            foreach (var given in Path)
            {
                IEnumerable<string> files;
                try
                {
                    files = GetResolvedProviderPathFromPSPath(given, out _);
                }
                catch (ItemNotFoundException ex)
                {
                    WriteError(Errors.Create(new FileNotFoundException(ex.Message, given), "FileNotFound", ErrorCategory.ObjectNotFound, given));
                    continue;
                }
                foreach (var file in files)
                {
                    var pairs = InsertedIds.Read(file, issue =>
                    {
                        if (issue.IsWarning) WriteWarning(issue.ToString());
                        else WriteError(Errors.FromIssue(issue));
                    });
                    foreach (var pair in pairs) Apply(pair);
                }
            }
        }

        private void Apply(InsertedId pair)
        {
            var store = _session!.Store;
            var result = store.Rekey(pair.ProvisionalId, pair.SalesforceId, DateTime.UtcNow, out var detail);
            switch (result)
            {
                case RekeyResult.Rekeyed:
                    _rekeyed++;
                    WriteVerbose($"{pair.ProvisionalId} -> {pair.SalesforceId} ({pair.Source}).");
                    break;
                case RekeyResult.NotProvisional:
                    _skipped++;
                    WriteError(Errors.Create(new InvalidOperationException(detail + $" ({pair.Source})"), "NotProvisional", ErrorCategory.InvalidArgument, pair));
                    break;
                case RekeyResult.Conflict:
                    _skipped++;
                    WriteError(Errors.Create(new InvalidOperationException(detail + $" ({pair.Source})"), "KeyConflict", ErrorCategory.InvalidData, pair));
                    break;
                default:
                    // Opportunities and accounts are not in the key store; a second reading of a file changes nothing.
                    WriteVerbose($"{pair.ProvisionalId}: {result}. {detail} ({pair.Source})");
                    break;
            }
            if (PassThru.IsPresent) WriteObject(new ContactKeyUpdate(pair, result, detail, store));
        }

        /// <summary>Saves the key store (unless -WhatIf).</summary>
        protected override void EndProcessing()
        {
            if (_session!.Store.IsDirty && ShouldProcess(_session.FilePath, $"Re-key {_rekeyed} provisional id(s) to the ids Salesforce assigned"))
            {
                SaveKeyStore(_session);
            }
            WriteVerbose($"Re-keyed {_rekeyed} provisional id(s); {_skipped} refused.");
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _session?.Dispose();
    }

    /// <summary>What Update-ContactKey did with one provisional id.</summary>
    public sealed class ContactKeyUpdate
    {
        internal ContactKeyUpdate(InsertedId pair, RekeyResult result, string detail, AlternateKeyStore store)
        {
            ProvisionalId = pair.ProvisionalId;
            SalesforceId = pair.SalesforceId;
            ObjectType = pair.ObjectType ?? store.Find(pair.ProvisionalId)?.ObjectType;
            Result = result.ToString();
            ContactKey = store.Resolve(pair.ProvisionalId);
            Detail = detail;
            Source = pair.Source;
        }

        /// <summary>The provisional id the insert file carried.</summary>
        public string ProvisionalId { get; }
        /// <summary>The id Salesforce assigned.</summary>
        public string SalesforceId { get; }
        /// <summary>The object type.</summary>
        public string? ObjectType { get; }
        /// <summary>Rekeyed, AlreadyRekeyed, NotInStore, NotProvisional or Conflict.</summary>
        public string Result { get; }
        /// <summary>What the provisional id resolves to now (null when the store does not know it).</summary>
        public string? ContactKey { get; }
        /// <summary>Why nothing changed, when nothing did.</summary>
        public string Detail { get; }
        /// <summary>Where the pair was read (file:line).</summary>
        public string Source { get; }
    }
}
