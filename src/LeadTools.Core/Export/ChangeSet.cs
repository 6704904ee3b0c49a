using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Export
{
    /// <summary>
    /// Inserts and updates for the CRM, per object type, written as Data Loader CSV files
    /// (<c>Contact-insert.csv</c>, <c>Lead-update.csv</c>, ...). Updates carry the Id and only the fields that changed.
    /// </summary>
    public sealed class ChangeSet
    {
        private readonly Dictionary<string, List<CrmRecord>> _inserts = new Dictionary<string, List<CrmRecord>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, CrmRecord>> _updates = new Dictionary<string, Dictionary<string, CrmRecord>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _deletes = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _undeletes = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _typeOrder = new List<string>();

        /// <summary>A record to insert (its provisional Id is kept so related inserts can refer to it).</summary>
        public void Insert(CrmRecord record)
        {
            var type = TypeOf(record);
            if (!_inserts.TryGetValue(type, out var list)) _inserts[type] = list = new List<CrmRecord>();
            list.Add(record);
        }

        /// <summary>Fields to update on an existing record (merged with earlier updates of the same record).</summary>
        public void Update(string objectType, string id, IEnumerable<KeyValuePair<string, object?>> fields)
        {
            TypeOf(objectType);
            if (!_updates.TryGetValue(objectType, out var byId)) _updates[objectType] = byId = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);
            if (!byId.TryGetValue(id, out var update))
            {
                update = new CrmRecord(objectType);
                update.Add("Id", id);
                byId[id] = update;
            }
            foreach (var f in fields)
            {
                if (!string.Equals(f.Key, "Id", StringComparison.OrdinalIgnoreCase)) update.Set(f.Key, f.Value);
            }
        }

        /// <summary>A record to delete (by id).</summary>
        public void Delete(string objectType, string id) => IdList(_deletes, objectType).Add(id);

        /// <summary>A deleted record to undelete (restore from the recycle bin) by id.</summary>
        public void Undelete(string objectType, string id) => IdList(_undeletes, objectType).Add(id);

        private List<string> IdList(Dictionary<string, List<string>> lists, string type)
        {
            TypeOf(type);
            if (!lists.TryGetValue(type, out var list)) lists[type] = list = new List<string>();
            return list;
        }

        /// <summary>How many records the set holds.</summary>
        public int Count => _inserts.Values.Sum(l => l.Count) + _updates.Values.Sum(d => d.Count) + _deletes.Values.Sum(l => l.Count) + _undeletes.Values.Sum(l => l.Count);

        /// <summary>Writes one CSV per object type and operation into <paramref name="folder"/>; returns the files written.</summary>
        public IReadOnlyList<string> Write(string folder, ExportOptions? options = null) => WriteFiles(folder, options).Select(f => f.Path).ToList();

        /// <summary>As <see cref="Write"/>, with the number of records in each file (null for the parts of a tree plan).</summary>
        public IReadOnlyList<(string Path, long? Records)> WriteFiles(string folder, ExportOptions? options = null)
        {
            Directory.CreateDirectory(folder);
            var written = new List<(string, long?)>();
            foreach (var type in _typeOrder)
            {
                if (_inserts.TryGetValue(type, out var inserts) && inserts.Count > 0) written.Add((WriteFile(Path.Combine(folder, type + "-insert.csv"), inserts, options), inserts.Count));
                if (_updates.TryGetValue(type, out var updates) && updates.Count > 0) written.Add((WriteFile(Path.Combine(folder, type + "-update.csv"), updates.Values, options), updates.Count));
                if (_undeletes.TryGetValue(type, out var undeletes) && undeletes.Count > 0)
                {
                    var ids = undeletes.Distinct(StringComparer.Ordinal).ToList();
                    written.Add((WriteFile(Path.Combine(folder, type + "-undelete.csv"), IdRecords(type, ids), options), ids.Count));
                }
                if (_deletes.TryGetValue(type, out var deletes) && deletes.Count > 0)
                {
                    var ids = deletes.Distinct(StringComparer.Ordinal).ToList();
                    written.Add((WriteFile(Path.Combine(folder, type + "-delete.csv"), IdRecords(type, ids), options), ids.Count));
                }
            }
            // Inserts carry LeadTools' provisional ids so the files can refer to each other; Salesforce assigns its own
            // on insert. The same inserts as sf data import tree files resolve those links by reference instead.
            var allInserts = _typeOrder.Where(t => _inserts.ContainsKey(t)).SelectMany(t => _inserts[t]).ToList();
            if (allInserts.Count > 0)
            {
                var tree = Path.Combine(folder, "inserts-tree.json");
                using (var writer = RecordWriter.Create(tree, new ExportOptions { Format = Import.RecordFormat.SfTree }))
                {
                    foreach (var r in allInserts) writer.Write(r);
                    writer.Complete();
                    written.Add((tree, writer.ExtraFiles.Count == 0 ? allInserts.Count : (long?)null));
                    foreach (var extra in writer.ExtraFiles) written.Add((extra, null));
                }
            }
            return written;
        }

        private static IEnumerable<CrmRecord> IdRecords(string type, IEnumerable<string> ids)
        {
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                var r = new CrmRecord(type);
                r.Add("Id", id);
                yield return r;
            }
        }

        private static string WriteFile(string path, IEnumerable<CrmRecord> records, ExportOptions? options)
        {
            using var writer = RecordWriter.Create(path, options ?? new ExportOptions { Format = Import.RecordFormat.Csv });
            foreach (var r in records) writer.Write(r);
            writer.Complete();
            return path;
        }

        private string TypeOf(CrmRecord record) => TypeOf(record.ObjectType ?? throw new ArgumentException("A change needs an object type."));

        private string TypeOf(string type)
        {
            if (!_typeOrder.Contains(type, StringComparer.OrdinalIgnoreCase)) _typeOrder.Add(type);
            return type;
        }
    }
}
