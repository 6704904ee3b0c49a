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

        /// <summary>Report records whose Id was already read in this call (and skip them).</summary>
        public bool CheckDuplicateIds { get; set; } = true;
    }
}
