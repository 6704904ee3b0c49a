using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using LeadTools.Core.Text;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes records to a file (JSON array, JSON Lines, Data Loader CSV, Salesforce REST or sf tree shape), atomically.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "CrmRecord", SupportsShouldProcess = true, DefaultParameterSetName = PipelineSet, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CrmExportResult))]
    public sealed class ExportCrmRecordCommand : PSCmdlet, IDisposable
    {
        private const string PipelineSet = "Pipeline";
        private const string PipelineLiteralSet = "PipelineLiteral";
        private const string FileSet = "SourcePath";
        private const int FormulaWarnings = 5;

        private RecordWriter? _writer;
        private bool _skip;
        private string? _target;
        private long _inputNumber;
        private long _ownErrors;
        private object? _lastErrorAtBegin;

        /// <summary>The records to write: LeadTools records, PSCustomObjects (ConvertFrom-Json, Import-Csv) or hashtables.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineLiteralSet)]
        [AllowNull]
        public PSObject[]? InputObject { get; set; }

        /// <summary>Read these files and write their records straight to -Path, without PowerShell objects in between (the bulk route).</summary>
        [Parameter(Mandatory = true, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string[] SourcePath { get; set; } = Array.Empty<string>();

        /// <summary>The file to write.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PipelineSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = FileSet)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>The file to write, taken literally.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PipelineLiteralSet)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; } = string.Empty;

        /// <summary>JsonArray, JsonLines, Csv, SalesforceRest or SfTree. Auto (default) goes by the extension: .csv, .jsonl, else JSON array.</summary>
        [Parameter]
        [ValidateSet("Auto", "JsonArray", "JsonLines", "Csv", "SalesforceRest", "SfTree")]
        public RecordFormat Format { get; set; } = RecordFormat.Auto;

        /// <summary>The object type of records that do not carry one.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ObjectTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string? ObjectType { get; set; }

        /// <summary>Write values that a spreadsheet would run as formulas (=, +, -, @ ...) with a leading apostrophe.</summary>
        [Parameter]
        public SwitchParameter EscapeFormula { get; set; }

        /// <summary>Replace the file even when it is read-only.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Do not replace an existing file.</summary>
        [Parameter]
        [Alias("NoOverwrite")]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>Text encoding: utf8 (default, no byte-order mark), utf8BOM, windows1252, latin1, utf16, utf16BE, ascii.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        public string? Encoding { get; set; }

        /// <summary>What a null value is written as in CSV. Default #N/A, which Bulk API and Data Loader read as "set to null".</summary>
        [Parameter]
        [AllowEmptyString]
        public string CsvNullValue { get; set; } = "#N/A";

        /// <summary>
        /// Write the file even when the run had errors (an input file missing, unreadable or cut short, records skipped,
        /// an earlier command in the pipeline failing) or brought no record at all. Without it such a run leaves an
        /// existing file as it was and creates no new one.
        /// </summary>
        [Parameter]
        public SwitchParameter AllowPartial { get; set; }

        /// <summary>Write a summary object (path, format, record count, formula-like values) when done.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Checks the options, asks ShouldProcess and opens the temporary file.</summary>
        protected override void BeginProcessing()
        {
            _lastErrorAtBegin = LastError();
            var path = ParameterSetName == PipelineLiteralSet ? LiteralPath : Path;
            _target = GetUnresolvedProviderPathFromPSPath(path);
            var options = new ExportOptions
            {
                Format = Format,
                ObjectType = ObjectType,
                EscapeFormula = EscapeFormula.IsPresent,
                CsvNullValue = CsvNullValue,
                ExistingFile = NoClobber.IsPresent ? ExistingFile.Fail : Force.IsPresent ? ExistingFile.OverwriteReadOnly : ExistingFile.Overwrite,
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
            var format = ExportOptions.FormatFor(_target, Format);
            if (!ShouldProcess(_target, $"Write records as {format}"))
            {
                _skip = true;
                return;
            }
            try
            {
                _writer = RecordWriter.Create(_target, options);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, File.Exists(_target) && NoClobber.IsPresent ? "FileExists" : "CannotWriteFile", ErrorCategory.WriteError, _target));
            }
        }

        /// <summary>Converts and writes each input record.</summary>
        protected override void ProcessRecord()
        {
            if (_skip || _writer == null || ParameterSetName == FileSet || InputObject == null) return;
            foreach (var item in InputObject)
            {
                _inputNumber++;
                var record = RecordConversion.ToRecord(item, ObjectType);
                if (record == null)
                {
                    _ownErrors++;
                    WriteError(Errors.Create(new ArgumentException($"Input object {_inputNumber} ({item?.BaseObject?.GetType().Name ?? "null"}) is not a record: it has no properties to write."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                Write(record);
            }
        }

        /// <summary>Bulk route, then completes the file and reports formula-like values.</summary>
        protected override void EndProcessing()
        {
            if (_skip || _writer == null) return;
            if (ParameterSetName == FileSet)
            {
                var reader = new RecordReader(new ImportOptions { ObjectType = ObjectType }, issue =>
                {
                    if (issue.IsWarning)
                    {
                        WriteWarning(issue.ToString());
                        return;
                    }
                    _ownErrors++;
                    WriteError(Errors.FromIssue(issue));
                });
                var files = new List<string>();
                foreach (var p in SourcePath)
                {
                    try
                    {
                        files.AddRange(GetResolvedProviderPathFromPSPath(p, out _));
                    }
                    catch (ItemNotFoundException)
                    {
                        _ownErrors++;
                        WriteError(Errors.FromIssue(new RecordIssue(RecordIssueKind.FileNotFound, p, "the file does not exist.")));
                    }
                }
                foreach (var record in reader.ReadFiles(files)) Write(record);
            }
            if (!AllowPartial.IsPresent && !MayCommit()) return;
            try
            {
                _writer.Complete();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                ThrowTerminatingError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, _target));
            }
            ReportFormulas(_writer.Formulas);
            WriteVerbose($"Wrote {_writer.RecordCount} record(s) to {_target} as {_writer.Format}.");
            if (PassThru.IsPresent)
            {
                WriteObject(new CrmExportResult(_writer.Path, _writer.Format, _writer.RecordCount, _writer.Formulas.Count, EscapeFormula.IsPresent, _writer.ExtraFiles.ToArray()));
            }
        }

        private void Write(CrmRecord record)
        {
            try
            {
                _writer!.Write(record);
            }
            catch (InvalidOperationException ex)
            {
                _ownErrors++;
                WriteError(Errors.Create(ex, "ObjectTypeUnknown", ErrorCategory.InvalidData, record.Id));
            }
            catch (IOException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, _target));
            }
        }

        /// <summary>
        /// False (and says why) when writing would replace good data with less: errors came during the run, here or
        /// earlier in the pipeline (an incomplete input), or no record came while the file exists and is not empty.
        /// The temporary file is then dropped by <see cref="Dispose"/>: the existing file stays, no new one appears.
        /// </summary>
        private bool MayCommit()
        {
            var upstream = !ReferenceEquals(LastError(), _lastErrorAtBegin);
            if (_ownErrors > 0 || upstream)
            {
                var what = _ownErrors > 0
                    ? $"{_ownErrors} error(s) occurred while the records were read or converted"
                    : "an error was reported in the pipeline while the records came in";
                var kept = File.Exists(_target) ? "the existing file was left as it was" : "no file was created";
                var message = $"'{_target}' was not written: {what}, so it would not hold all the records; {kept}. " +
                              $"Fix the input and run again, or pass -AllowPartial to write the {_writer!.RecordCount} record(s) that did come through.";
                WriteError(Errors.Create(new InvalidOperationException(message), "InputIncomplete", ErrorCategory.InvalidData, _target));
                return false;
            }
            if (_writer!.RecordCount == 0 && File.Exists(_target) && new FileInfo(_target).Length > 0)
            {
                WriteWarning($"No record came, so '{_target}' was left as it was rather than emptied. Pass -AllowPartial to replace it with an empty file.");
                return false;
            }
            return true;
        }

        /// <summary>The most recent entry of $Error: a new one at the end means an error was written during the run.</summary>
        private object? LastError()
        {
            return SessionState.PSVariable.GetValue("Error") is System.Collections.IList list && list.Count > 0 ? list[0] : null;
        }

        private void ReportFormulas(FormulaGuard guard)
        {
            if (guard.Count == 0) return;
            var examples = string.Join("; ", guard.Findings.Take(FormulaWarnings).Select(f => f.ToString()));
            WriteWarning(guard.Escape
                ? $"{guard.Count} value(s) that a spreadsheet would run as formulas were written with a leading apostrophe (e.g. {examples}). " +
                  "This copy is for people to open in a spreadsheet: do not load it into the CRM with Data Loader or the Bulk API, the apostrophes would be saved with the values."
                : $"{guard.Count} value(s) would run as formulas if the file were opened in a spreadsheet (e.g. {examples}). " +
                  "They are written unchanged, as Data Loader and the Bulk API need them: do not open and re-save this file in a spreadsheet. " +
                  "For a copy for people to read in a spreadsheet, export again with -EscapeFormula (and never load that copy into the CRM).");
            foreach (var f in guard.Findings) WriteVerbose("Formula-like value: " + f);
        }

        /// <summary>Drops the temporary file when the pipeline stopped or failed before completion.</summary>
        public void Dispose() => _writer?.Dispose();
    }

    /// <summary>What Export-CrmRecord wrote (with -PassThru).</summary>
    public sealed class CrmExportResult
    {
        internal CrmExportResult(string path, RecordFormat format, long recordCount, long formulaValueCount, bool formulasEscaped, string[] extraFiles)
        {
            Path = path;
            Format = format;
            RecordCount = recordCount;
            FormulaValueCount = formulaValueCount;
            FormulasEscaped = formulasEscaped;
            ExtraFiles = extraFiles;
        }

        /// <summary>The file written.</summary>
        public string Path { get; }
        /// <summary>Its format.</summary>
        public RecordFormat Format { get; }
        /// <summary>Records written.</summary>
        public long RecordCount { get; }
        /// <summary>Values a spreadsheet would run as formulas.</summary>
        public long FormulaValueCount { get; }
        /// <summary>True when those values were escaped.</summary>
        public bool FormulasEscaped { get; }
        /// <summary>Other files written (tree files listed by a plan).</summary>
        public string[] ExtraFiles { get; }
    }
}
