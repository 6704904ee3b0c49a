using System;
using System.Collections.Generic;
using System.Text;

namespace LeadTools.Core.Import
{
    /// <summary>How to read files.</summary>
    public sealed class ImportOptions
    {
        /// <summary>The format, or <see cref="RecordFormat.Auto"/>.</summary>
        public RecordFormat Format { get; set; } = RecordFormat.Auto;

        /// <summary>
        /// The object type of records whose file does not say it (CSV, plain JSON); for files that say it,
        /// only records of this type are returned. Null: infer from the file name or Salesforce id prefixes.
        /// </summary>
        public string? ObjectType { get; set; }

        /// <summary>The text encoding; null means UTF-8 (or UTF-16 when the file starts with its byte-order mark).</summary>
        public Encoding? Encoding { get; set; }

        /// <summary>CSV cells read as null (default: empty and <c>#N/A</c>).</summary>
        public ISet<string> CsvNullValues { get; set; } = new HashSet<string>(StringComparer.Ordinal) { "", "#N/A" };

        /// <summary>Replace tree-file <c>@Ref</c> values with the referenced record's id (buffers all files of the call).</summary>
        public bool ResolveReferences { get; set; }

        /// <summary>Deepest nesting of a value inside a record before it is refused.</summary>
        public int MaxDepth { get; set; } = 64;

        /// <summary>
        /// The longest value LeadTools reads, in characters: one JSON string (or stretch between two strings), one JSON
        /// Lines line, one CSV row (a header too). Default 64 Mi (67,108,864), room for a 25 MB attachment as base64.
        /// Beyond it reading of the file stops with <see cref="RecordIssueKind.ValueTooLong"/>, so an endless or
        /// binary file cannot grow memory without limit.
        /// </summary>
        public int MaxValueLength { get; set; } = 64 * 1024 * 1024;

        /// <summary>Report records whose Id was already read in this call (and skip them).</summary>
        public bool CheckDuplicateIds { get; set; } = true;
    }
}
