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

        /// <summary>Write a summary object (path, format, record count, formula-like values) when done.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Checks the options, asks ShouldProcess and opens the temporary file.</summary>
        protected override void BeginProcessing()
        {
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
                    if (issue.IsWarning) WriteWarning(issue.ToString());
                    else WriteError(Errors.FromIssue(issue));
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
                        WriteError(Errors.FromIssue(new RecordIssue(RecordIssueKind.FileNotFound, p, "the file does not exist.")));
                    }
                }
                foreach (var record in reader.ReadFiles(files)) Write(record);
            }
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
                WriteError(Errors.Create(ex, "ObjectTypeUnknown", ErrorCategory.InvalidData, record.Id));
            }
            catch (IOException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, _target));
            }
        }

        private void ReportFormulas(FormulaGuard guard)
        {
            if (guard.Count == 0) return;
            var examples = string.Join("; ", guard.Findings.Take(FormulaWarnings).Select(f => f.ToString()));
            WriteWarning(guard.Escape
                ? $"{guard.Count} value(s) that a spreadsheet would run as formulas were written with a leading apostrophe (e.g. {examples})."
                : $"{guard.Count} value(s) start with =, +, -, @ and would run as formulas if the file is opened in a spreadsheet (e.g. {examples}). Pass -EscapeFormula to write them as text.");
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
