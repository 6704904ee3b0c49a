using System;
using System.Collections;
using System.Collections.Generic;
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

        /// <summary>A snapshot of <paramref name="path"/> (any format the record reader reads).</summary>
        public SyncSnapshot(string path, Action<RecordIssue> onIssue)
        {
            _path = path;
            _onIssue = onIssue;
        }

        /// <summary>How many times the file was read (started).</summary>
        public int Passes => _passes;

        /// <inheritdoc />
        public IEnumerator<CrmRecord> GetEnumerator()
        {
            var first = _passes++ == 0;
            var reader = new RecordReader(new ImportOptions(), issue =>
            {
                if (first) _onIssue(issue);
            });
            return reader.ReadFile(_path).GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
