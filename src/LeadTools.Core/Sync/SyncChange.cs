using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Text;
using LeadTools.Core.Export;
using LeadTools.Core.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Sync
{
    /// <summary>The system a change applies to.</summary>
    public enum SyncSide
    {
        /// <summary>The local (marketing) system.</summary>
        Local,
        /// <summary>Salesforce.</summary>
        Salesforce,
    }

    /// <summary>What a change does.</summary>
    public enum SyncOperation
    {
        /// <summary>Creates a record.</summary>
        Insert,
        /// <summary>Changes fields of an existing record.</summary>
        Update,
        /// <summary>Creates a Salesforce activity from a local event.</summary>
        Event,
        /// <summary>Nothing is written: the record was left out on purpose (reported, see <see cref="SyncChange.Reason"/>).</summary>
        Skipped,
    }

    /// <summary>One change the sync computed, with the algorithm step (seed 003) that produced it and why.</summary>
    public sealed class SyncChange
    {
        internal SyncChange(SyncSide side, string objectType, SyncOperation operation, string? id, IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after, string step, string reason)
        {
            Side = side;
            ObjectType = objectType;
            Operation = operation;
            Id = id;
            FieldsBefore = before;
            FieldsAfter = after;
            Step = step;
            Reason = reason;
        }

        /// <summary>The side written to.</summary>
        public SyncSide Side { get; }
        /// <summary>The object type on that side (Lead, Campaign, Task, DealStage, ...).</summary>
        public string ObjectType { get; }
        /// <summary>The operation.</summary>
        public SyncOperation Operation { get; }
        /// <summary>The record's id on that side; for inserts a provisional id (local) or null (Salesforce upserts by <see cref="SyncProfile.ExternalIdField"/>).</summary>
        public string? Id { get; }
        /// <summary>The changed fields' values before (empty for inserts).</summary>
        public IReadOnlyDictionary<string, object?> FieldsBefore { get; }
        /// <summary>The changed fields' values after (every field for inserts).</summary>
        public IReadOnlyDictionary<string, object?> FieldsAfter { get; }
        /// <summary>The algorithm step, named after seed 003's bullets (e.g. "Leads.1 pull modified Salesforce leads").</summary>
        public string Step { get; }
        /// <summary>Why.</summary>
        public string Reason { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Side} {Operation} {ObjectType} {Id ?? "(new)"}: {Step}: {Reason}";
    }

    /// <summary>The outcome of a sync run: the changes per side, what was skipped, and the state to save.</summary>
    public sealed class SyncResult
    {
        internal SyncResult(IReadOnlyList<SyncChange> changes, IReadOnlyList<SyncChange> skipped, SyncState state, IReadOnlyList<SyncLink> prunedLinks)
        {
            Changes = changes;
            Skipped = skipped;
            State = state;
            PrunedLinks = prunedLinks;
        }

        /// <summary>Inserts, updates and events, in algorithm order.</summary>
        public IReadOnlyList<SyncChange> Changes { get; }
        /// <summary>Records left out and why (person accounts, leads not eligible for push, events without a Salesforce lead).</summary>
        public IReadOnlyList<SyncChange> Skipped { get; }
        /// <summary>The new state (last sync times, id links); save it only when the change sets are applied.</summary>
        public SyncState State { get; }
        /// <summary>Links removed from the new state (only with <see cref="SyncRunOptions.PruneLinks"/>).</summary>
        public IReadOnlyList<SyncLink> PrunedLinks { get; }

        /// <summary>The local snapshot was not read completely (a partial run: see <see cref="SyncRunOptions.LocalSnapshotIncomplete"/>).</summary>
        public bool LocalSnapshotIncomplete { get; internal set; }

        /// <summary>The Salesforce snapshot was not read completely.</summary>
        public bool SalesforceSnapshotIncomplete { get; internal set; }

        /// <summary>The local changes file's name (JSON Lines).</summary>
        public const string LocalChangesFileName = "Local-changes.jsonl";

        /// <summary>
        /// Writes the change files into <paramref name="folder"/>: the Salesforce side as Data Loader CSV files
        /// (<see cref="ToChangeSet"/>) and the local side as <see cref="LocalChangesFileName"/>, one JSON object per
        /// line (operation, objectType, id, fields, step, reason). Each file is written atomically. Returns the paths.
        /// </summary>
        public IReadOnlyList<string> WriteChangeFiles(string folder) => WriteChangeFilesWithCounts(folder).Select(f => f.Path).ToList();

        /// <summary>As <see cref="WriteChangeFiles"/>, with the number of records in each file (null for the parts of a tree plan).</summary>
        public IReadOnlyList<(string Path, long? Records)> WriteChangeFilesWithCounts(string folder)
        {
            var written = new List<(string Path, long? Records)>(ToChangeSet(SyncSide.Salesforce).WriteFiles(folder));
            var local = Changes.Where(c => c.Side == SyncSide.Local).ToList();
            if (local.Count == 0) return written;
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, LocalChangesFileName);
            using (var w = new AtomicFileWriter(path))
            {
                using (var text = new StreamWriter(w.Stream, new UTF8Encoding(false), 65536, leaveOpen: true))
                {
                    foreach (var c in local) text.Write(ToJson(c).ToString(Formatting.None) + "\n");
                }
                w.Commit();
            }
            written.Add((path, local.Count));
            return written;
        }

        private static JObject ToJson(SyncChange c)
        {
            var fields = new JObject();
            foreach (var f in c.FieldsAfter) fields[f.Key] = f.Value == null ? JValue.CreateNull() : JToken.FromObject(f.Value);
            return new JObject
            {
                ["operation"] = c.Operation.ToString(),
                ["objectType"] = c.ObjectType,
                ["id"] = c.Id,
                ["fields"] = fields,
                ["step"] = c.Step,
                ["reason"] = c.Reason,
            };
        }

        /// <summary>The changes of one side as a <see cref="ChangeSet"/> (Data Loader / Bulk API CSV files when written).</summary>
        public ChangeSet ToChangeSet(SyncSide side)
        {
            var set = new ChangeSet();
            foreach (var c in Changes.Where(c => c.Side == side))
            {
                if (c.Operation == SyncOperation.Update)
                {
                    set.Update(c.ObjectType, c.Id ?? throw new InvalidOperationException("An update needs an id."), c.FieldsAfter);
                }
                else
                {
                    var r = new CrmRecord(c.ObjectType, c.FieldsAfter.Count + 1);
                    if (c.Side == SyncSide.Local && c.Id != null) r.Add("Id", c.Id);
                    foreach (var f in c.FieldsAfter) r.Set(f.Key, f.Value);
                    set.Insert(r);
                }
            }
            return set;
        }
    }
}

namespace LeadTools.Core.Sync
{
    /// <summary>Options of a sync run beyond the snapshots, profile and state.</summary>
    public sealed class SyncRunOptions
    {
        /// <summary>Links from the insert results of the last run's pushed records (<see cref="SyncInsertResults"/>), added to the state first.</summary>
        public IList<SyncLink> InsertResults { get; set; } = new List<SyncLink>();

        /// <summary>Remove links whose local or Salesforce record is gone from its snapshot. Only for complete snapshots.</summary>
        public bool PruneLinks { get; set; }

        /// <summary>
        /// The time the snapshots were taken: every record modified after it is taken by the next run. Default: per side
        /// and object the newest modification time seen in the snapshot (never later than the file's write time).
        /// </summary>
        public DateTimeOffset? SnapshotTime { get; set; }

        /// <summary>
        /// The local snapshot was not read completely (records given as objects that were not records); a
        /// <see cref="SyncSnapshot"/> says so itself. A partial run inserts nothing locally (the local record a Salesforce
        /// record matches may be on an unread line), pushes no new events, prunes no link for a record not read and
        /// moves no watermark, so the next complete run considers every record again.
        /// </summary>
        public bool LocalSnapshotIncomplete { get; set; }

        /// <summary>The Salesforce snapshot was not read completely: nothing is inserted into Salesforce; as <see cref="LocalSnapshotIncomplete"/>.</summary>
        public bool SalesforceSnapshotIncomplete { get; set; }

        /// <summary>
        /// The Salesforce org the snapshot comes from (its org id, 00D...). The first run records it in the state; a
        /// later run with another org is refused (<see cref="SyncStateMismatchException"/>): one Salesforce instance
        /// syncs with one local instance (seed 003).
        /// </summary>
        public string? SalesforceOrg { get; set; }

        /// <summary>The local instance the local snapshot comes from; recorded and checked like <see cref="SalesforceOrg"/>.</summary>
        public string? LocalInstance { get; set; }
    }

    /// <summary>A snapshot from another Salesforce org or local instance than the one the sync state belongs to.</summary>
    public sealed class SyncStateMismatchException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public SyncStateMismatchException(string message) : base(message)
        {
        }
    }
}
