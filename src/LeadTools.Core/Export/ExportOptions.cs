using System.Text;
using LeadTools.Core.Import;
using LeadTools.Core.IO;

namespace LeadTools.Core.Export
{
    /// <summary>How to write records.</summary>
    public sealed class ExportOptions
    {
        /// <summary>The format; <see cref="RecordFormat.Auto"/> picks it from the file extension (.csv, .jsonl, .json).</summary>
        public RecordFormat Format { get; set; } = RecordFormat.Auto;

        /// <summary>Object type for records that do not carry one.</summary>
        public string? ObjectType { get; set; }

        /// <summary>Prefix formula-like text values with an apostrophe so spreadsheets show them as text.</summary>
        public bool EscapeFormula { get; set; }

        /// <summary>What a null value is written as in CSV (Bulk API and Data Loader read <c>#N/A</c> as "set to null"; empty means "leave as is").</summary>
        public string CsvNullValue { get; set; } = "#N/A";

        /// <summary>The CSV field separator.</summary>
        public char CsvDelimiter { get; set; } = ',';

        /// <summary>The text encoding (default UTF-8 without a byte-order mark).</summary>
        public Encoding? Encoding { get; set; }

        /// <summary>What to do when the file exists.</summary>
        public ExistingFile ExistingFile { get; set; } = ExistingFile.Overwrite;

        /// <summary>Indent JSON output (JSON array, REST and tree shapes).</summary>
        public bool Indent { get; set; } = true;

        /// <summary>The format a path's extension implies when <see cref="Format"/> is Auto.</summary>
        public static RecordFormat FormatFor(string path, RecordFormat requested)
        {
            if (requested != RecordFormat.Auto) return requested;
            switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
            {
                case ".csv":
                case ".txt":
                    return RecordFormat.Csv;
                case ".jsonl":
                case ".ndjson":
                    return RecordFormat.JsonLines;
                default:
                    return RecordFormat.JsonArray;
            }
        }
    }
}
