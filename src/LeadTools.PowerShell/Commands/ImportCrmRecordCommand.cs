using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.Core.Text;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads CRM export files (Salesforce, Dataverse, ActiveCampaign, JSON, JSON Lines, CSV) as records.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "CrmRecord", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(PSObject), typeof(CompactCrmRecord))]
    public sealed class ImportCrmRecordCommand : PSCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const int ProgressEvery = 10000;

        private RecordReader? _reader;
        private readonly List<string> _deferred = new List<string>();
        private long _count;
        private RecordShapeCache? _shapes;

        /// <summary>Files to read; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>Files to read, taken literally (no wildcards).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>The format; Auto (the default) tells it from the content. Csv and JsonLines force those readers.</summary>
        [Parameter]
        public RecordFormat Format { get; set; } = RecordFormat.Auto;

        /// <summary>The object type of records whose file does not say it (CSV, plain JSON); for files that say it, only records of this type are returned.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ObjectTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? ObjectType { get; set; }

        /// <summary>The text encoding of files without a byte-order mark: utf8 (default), windows1252, latin1, utf16, utf16BE, ascii.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        public string? Encoding { get; set; }

        /// <summary>Replace tree-file @Ref values in lookup fields with the id of the referenced record (reads all files first).</summary>
        [Parameter]
        public SwitchParameter ResolveReferences { get; set; }

        /// <summary>CSV cells read as null. Default: empty and #N/A.</summary>
        [Parameter]
        [AllowEmptyString]
        public string[]? CsvNullValue { get; set; }

        /// <summary>
        /// Hold records compactly: the field names shared by every record of a layout and the values packed in one
        /// array (about a tenth of the memory of PSCustomObjects, for $leads = Import-CrmRecord of large files).
        /// Fields are properties (Property, not NoteProperty, to Get-Member) and the objects are not [pscustomobject].
        /// </summary>
        [Parameter]
        public SwitchParameter Compact { get; set; }

        /// <summary>Validates options once.</summary>
        protected override void BeginProcessing()
        {
            var options = new ImportOptions
            {
                Format = Format,
                ObjectType = ObjectType,
                ResolveReferences = ResolveReferences.IsPresent,
            };
            if (Encoding != null)
            {
                try
                {
                    options.Encoding = TextEncodings.Parse(Encoding);
                }
                catch (ArgumentException ex)
                {
                    ThrowTerminatingError(Errors.Create(ex, "UnknownEncoding", ErrorCategory.InvalidArgument, Encoding));
                }
            }
            if (ObjectType != null && !ObjectTypes.IsValidName(ObjectType))
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException($"'{ObjectType}' is not an object type name (letters, digits and underscores, starting with a letter)."), "ObjectTypeUnknown", ErrorCategory.InvalidArgument, ObjectType));
            }
            if (CsvNullValue != null) options.CsvNullValues = new HashSet<string>(CsvNullValue, StringComparer.Ordinal);
            _reader = new RecordReader(options, OnIssue);
            if (Compact.IsPresent) _shapes = new RecordShapeCache();
        }

        /// <summary>Reads the files given in this pipeline step.</summary>
        protected override void ProcessRecord()
        {
            // Each path is resolved and read in turn, so errors and records come in the order given.
            var paths = ParameterSetName == LiteralPathSet ? LiteralPath : Path;
            for (var i = 0; i < paths.Length; i++)
            {
                var files = ResolveFiles(paths[i]);
                if (ResolveReferences.IsPresent)
                {
                    _deferred.AddRange(files);
                    continue;
                }
                foreach (var file in files) Emit(_reader!.ReadFile(file), file, i, paths.Length);
            }
        }

        /// <summary>With -ResolveReferences, reads everything now.</summary>
        protected override void EndProcessing()
        {
            if (ResolveReferences.IsPresent && _deferred.Count > 0)
            {
                Emit(_reader!.ReadFiles(_deferred), string.Join(", ", _deferred), 0, 1);
            }
            WriteVerbose($"Read {_count} record(s).");
        }

        private void Emit(IEnumerable<CrmRecord> records, string file, int index, int total)
        {
            var progress = new ProgressRecord(1, "Import-CrmRecord", "Reading " + file);
            var fileCount = 0L;
            foreach (var record in records)
            {
                WriteObject(_shapes != null ? new CompactCrmRecord(PackedRecord.Pack(record, _shapes)) : (object)RecordConversion.ToPSObject(record));
                _count++;
                if (++fileCount % ProgressEvery == 0)
                {
                    progress.StatusDescription = $"Reading {System.IO.Path.GetFileName(file)}: {fileCount:N0} records";
                    progress.PercentComplete = Math.Min(99, index * 100 / Math.Max(total, 1));
                    WriteProgress(progress);
                }
            }
            if (fileCount >= ProgressEvery)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
        }

        private void OnIssue(RecordIssue issue)
        {
            if (issue.IsWarning)
            {
                WriteWarning(issue.ToString());
            }
            else
            {
                WriteError(Errors.FromIssue(issue));
            }
        }

        private List<string> ResolveFiles(string p)
        {
            var result = new List<string>();
            if (ParameterSetName == LiteralPathSet)
            {
                result.Add(GetUnresolvedProviderPathFromPSPath(p));
                return result;
            }
            try
            {
                var resolved = GetResolvedProviderPathFromPSPath(p, out var provider);
                if (provider.Name != "FileSystem")
                {
                    WriteError(Errors.Create(new ArgumentException($"'{p}' is not a file-system path."), "NotAFileSystemPath", ErrorCategory.InvalidArgument, p));
                    return result;
                }
                if (resolved.Count == 0)
                {
                    OnIssue(new RecordIssue(RecordIssueKind.FileNotFound, p, "no file matches the pattern."));
                }
                result.AddRange(resolved);
                result.Sort(StringComparer.Ordinal);
            }
            catch (ItemNotFoundException)
            {
                OnIssue(new RecordIssue(RecordIssueKind.FileNotFound, GetUnresolvedProviderPathFromPSPath(p), "the file does not exist."));
            }
            return result;
        }
    }
}
