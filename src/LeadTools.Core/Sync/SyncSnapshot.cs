using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using LeadTools.Core.Import;
using LeadTools.Core.Records;

namespace LeadTools.Core.Sync
{
    /// <summary>
    /// A snapshot file as the sync engine reads it: every enumeration reads the file again (streamed, nothing kept),
    /// and problems with the input are reported on the first reading only, so a second pass does not repeat them.
    /// </summary>
    public sealed class SyncSnapshot : IEnumerable<CrmRecord>
    {
        private readonly string _path;
        private readonly Action<RecordIssue> _onIssue;
        private int _passes;
        private volatile bool _incomplete;

        /// <summary>A snapshot of <paramref name="path"/> (any format the record reader reads).</summary>
        public SyncSnapshot(string path, Action<RecordIssue> onIssue)
        {
            _path = path;
            _onIssue = onIssue;
            // When the export was written: no record in it can have been modified later (the watermark's ceiling).
            FileTime = File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero) : (DateTimeOffset?)null;
        }

        /// <summary>The file.</summary>
        public string Path => _path;

        /// <summary>The file's last write time (UTC) when the snapshot was opened, or null when it did not exist.</summary>
        public DateTimeOffset? FileTime { get; }

        /// <summary>How many times the file was read (started).</summary>
        public int Passes => _passes;

        /// <summary>
        /// True when the first reading reported a problem that may have left records unread (any issue but a second
        /// record with an id already read, whose first record is used): a page of a larger result, a malformed or cut
        /// record, a bad encoding, a file that cannot be read.
        /// </summary>
        public bool Incomplete => _incomplete;

        /// <inheritdoc />
        public IEnumerator<CrmRecord> GetEnumerator()
        {
            var first = _passes++ == 0;
            var reader = new RecordReader(new ImportOptions(), issue =>
            {
                if (!first) return;
                if (issue.Kind != RecordIssueKind.DuplicateId) _incomplete = true;
                _onIssue(issue);
            });
            return reader.ReadFile(_path).GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
