using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using LeadTools.Core.Export;
using LeadTools.Core.Import;
using LeadTools.Core.Records;

namespace LeadTools.DataGen
{
    /// <summary>
    /// Seeded synthetic CRM exports with known duplicates (SPEC 9.5): leads alone, or a whole org (leads,
    /// contacts, accounts with person accounts, campaigns, campaign members with Full Circle funnel fields,
    /// opportunities, tasks, Marketing Cloud individual email results). The same seed gives the same
    /// bytes. Files stream through <see cref="RecordWriter"/>, so every format <c>Export-CrmRecord</c>
    /// writes is available, and memory stays flat up to millions of records. The ground truth
    /// (<c>Id,ClusterId</c> for every record that has a duplicate; the cluster id is the id of the
    /// cluster's first record) is written beside the data.
    /// </summary>
    public static class CrmDataGenerator
    {
        /// <summary>The default share of records that are noisy copies of an earlier record's person.</summary>
        public const double DefaultDuplicateRate = 0.1;

        /// <summary>Leads 0..count-1, generated one at a time (nothing is kept between records).</summary>
        public static IEnumerable<CrmRecord> Leads(int count, int seed, double duplicateRate = DefaultDuplicateRate)
        {
            var crm = new SyntheticCrm(seed, count, duplicateRate);
            for (long p = 0; p < count; p++) yield return crm.Lead(p, out _);
        }

        /// <summary>
        /// The ground truth of <see cref="Leads"/>: (Id, ClusterId) for every lead in a cluster of two or more,
        /// in file order of the member (a cluster's origin comes just before its first copy).
        /// </summary>
        public static IEnumerable<KeyValuePair<string, string>> LeadClusters(int count, int seed, double duplicateRate = DefaultDuplicateRate)
        {
            var crm = new SyntheticCrm(seed, count, duplicateRate);
            var seen = new HashSet<long>();
            for (long p = 0; p < count; p++)
            {
                var origin = crm.LeadOrigin(p);
                if (origin == p) continue;
                if (seen.Add(origin)) yield return new KeyValuePair<string, string>(crm.LeadId(origin), crm.LeadId(origin));
                yield return new KeyValuePair<string, string>(crm.LeadId(p), crm.LeadId(origin));
            }
        }

        /// <summary>
        /// The second generator mode ("crowded", <see cref="CrowdedCrm"/>): leads of a large org where distinct people
        /// share first and last names, company domains, offices and switchboards at realistic (skewed) rates, each with
        /// the id of its person's first lead (its cluster). For matching quality on data the strategies were not tuned on.
        /// </summary>
        public static IEnumerable<KeyValuePair<CrmRecord, string>> CrowdedLeads(int count, int seed, double duplicateRate = DefaultDuplicateRate)
        {
            var crm = new CrowdedCrm(seed, count, duplicateRate);
            for (long p = 0; p < count; p++)
            {
                var rec = crm.NextLead(out var origin);
                yield return new KeyValuePair<CrmRecord, string>(rec, origin);
            }
        }

        /// <summary>As <see cref="WriteLeads"/> for the crowded mode (<see cref="CrowdedLeads"/>): the leads and their truth file.</summary>
        public static string WriteCrowdedLeads(string path, int count, int seed, RecordFormat format = RecordFormat.JsonArray, double duplicateRate = DefaultDuplicateRate, bool indent = true)
        {
            var truthPath = TruthPathFor(path);
            using (var truth = new TruthWriter(truthPath))
            {
                WriteObject(path, format, indent, "Lead", Crowded(truth));
                truth.Complete();
            }
            return truthPath;

            IEnumerable<CrmRecord> Crowded(TruthWriter into)
            {
                foreach (var kv in CrowdedLeads(count, seed, duplicateRate))
                {
                    into.Add(kv.Key.Id!, kv.Value);
                    yield return kv.Key;
                }
            }
        }

        /// <summary>
        /// Writes <paramref name="count"/> leads to <paramref name="path"/> in <paramref name="format"/> and the
        /// ground truth beside it; returns the truth file's path (<see cref="TruthPathFor"/>).
        /// </summary>
        public static string WriteLeads(string path, int count, int seed, RecordFormat format = RecordFormat.JsonArray, double duplicateRate = DefaultDuplicateRate, bool indent = true)
        {
            var crm = new SyntheticCrm(seed, count, duplicateRate);
            var truthPath = TruthPathFor(path);
            using (var truth = new TruthWriter(truthPath))
            {
                WriteObject(path, format, indent, "Lead", Each(count, p =>
                {
                    var rec = crm.Lead(p, out var origin);
                    truth.Add(rec.Id!, origin);
                    return rec;
                }));
                truth.Complete();
            }
            return truthPath;
        }

        /// <summary>
        /// Writes a whole org into <paramref name="folder"/>: one file per object (Lead, Contact, Account,
        /// Campaign, CampaignMember, Opportunity, Task, et4ae5__IndividualEmailResult__c) and <c>truth.csv</c>,
        /// whose clusters span objects (a lead, the contact the person became, a person account).
        /// </summary>
        public static CrmDataSet WriteDataSet(string folder, int leadCount, int seed, RecordFormat format = RecordFormat.JsonArray, double duplicateRate = DefaultDuplicateRate, bool indent = true)
        {
            Directory.CreateDirectory(folder);
            var crm = new SyntheticCrm(seed, leadCount, duplicateRate);
            var ext = ExtensionFor(format);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            string FileFor(string type) => files[type] = Path.Combine(folder, type + ext);
            var truthPath = Path.Combine(folder, "truth.csv");
            using (var truth = new TruthWriter(truthPath))
            {
                counts["Lead"] = WriteObject(FileFor("Lead"), format, indent, "Lead", Each(leadCount, p =>
                {
                    var rec = crm.Lead(p, out var origin);
                    truth.Add(rec.Id!, origin);
                    return rec;
                }));
                counts["Contact"] = WriteObject(FileFor("Contact"), format, indent, "Contact", Each(crm.ContactCount, j =>
                {
                    var rec = crm.Contact(j, out var origin, out _);
                    truth.Add(rec.Id!, origin);
                    return rec;
                }));
                counts["Account"] = WriteObject(FileFor("Account"), format, indent, "Account", Each(crm.AccountCount, a =>
                {
                    var rec = crm.Account(a, out var origin);
                    if (origin != null) truth.Add(rec.Id!, origin);
                    return rec;
                }));
                truth.Complete();
            }
            counts["Campaign"] = WriteObject(FileFor("Campaign"), format, indent, "Campaign", Each(crm.CampaignCount, c => crm.Campaign((int)c)));
            counts["CampaignMember"] = WriteObject(FileFor("CampaignMember"), format, indent, "CampaignMember", crm.CampaignMembers());
            counts["Opportunity"] = WriteObject(FileFor("Opportunity"), format, indent, "Opportunity", Each(crm.OpportunityCount, crm.Opportunity));
            counts["Task"] = WriteObject(FileFor("Task"), format, indent, "Task", crm.Tasks());
            counts[SyntheticCrm.IndividualEmailResult] = WriteObject(FileFor(SyntheticCrm.IndividualEmailResult), format, indent, SyntheticCrm.IndividualEmailResult, crm.EmailResults());
            return new CrmDataSet(folder, files, counts, truthPath);
        }

        /// <summary>Where <see cref="WriteLeads"/> puts the truth for <paramref name="dataPath"/>: <c>name.truth.csv</c> beside it.</summary>
        public static string TruthPathFor(string dataPath)
        {
            var full = Path.GetFullPath(dataPath);
            return Path.Combine(Path.GetDirectoryName(full) ?? ".", Path.GetFileNameWithoutExtension(full) + ".truth.csv");
        }

        /// <summary>Reads a truth file: record id to cluster id.</summary>
        public static Dictionary<string, string> ReadTruth(string truthPath)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var reader = new StreamReader(truthPath, Encoding.UTF8))
            {
                var header = reader.ReadLine();
                if (header != TruthWriter.Header) throw new InvalidDataException($"{truthPath}: expected the header '{TruthWriter.Header}', found '{header}'.");
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Length == 0) continue;
                    var comma = line.IndexOf(',');
                    result[line.Substring(0, comma)] = line.Substring(comma + 1);
                }
            }
            return result;
        }

        /// <summary>The file extension used for a format (.json, .jsonl, .csv).</summary>
        public static string ExtensionFor(RecordFormat format) => format switch
        {
            RecordFormat.Csv => ".csv",
            RecordFormat.JsonLines => ".jsonl",
            _ => ".json",
        };

        private static IEnumerable<CrmRecord> Each(long count, Func<long, CrmRecord> make)
        {
            for (long i = 0; i < count; i++) yield return make(i);
        }

        private static long WriteObject(string path, RecordFormat format, bool indent, string objectType, IEnumerable<CrmRecord> records)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
            using (var writer = RecordWriter.Create(path, new ExportOptions { Format = format, ObjectType = objectType, Indent = indent }))
            {
                foreach (var r in records) writer.Write(r);
                writer.Complete();
                return writer.RecordCount;
            }
        }
    }

    /// <summary>What <see cref="CrmDataGenerator.WriteDataSet"/> wrote.</summary>
    public sealed class CrmDataSet
    {
        internal CrmDataSet(string folder, IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, long> counts, string truthPath)
        {
            Folder = folder;
            Files = files;
            Counts = counts;
            TruthPath = truthPath;
        }

        /// <summary>The folder.</summary>
        public string Folder { get; }

        /// <summary>Object type to file path.</summary>
        public IReadOnlyDictionary<string, string> Files { get; }

        /// <summary>Object type to the number of records written.</summary>
        public IReadOnlyDictionary<string, long> Counts { get; }

        /// <summary>The ground truth (Id,ClusterId), across leads, contacts and person accounts.</summary>
        public string TruthPath { get; }
    }

    /// <summary>Writes Id,ClusterId rows for records in clusters of two or more, streaming.</summary>
    internal sealed class TruthWriter : IDisposable
    {
        public const string Header = "Id,ClusterId";

        private readonly string _path;
        private readonly string _temp;
        private readonly StreamWriter _writer;
        private readonly HashSet<string> _origins = new HashSet<string>(StringComparer.Ordinal);
        private bool _done;

        public TruthWriter(string path)
        {
            _path = Path.GetFullPath(path);
            _temp = _path + ".tmp";
            Directory.CreateDirectory(Path.GetDirectoryName(_path) ?? ".");
            _writer = new StreamWriter(_temp, false, new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" };
            _writer.WriteLine(Header);
        }

        public long Rows { get; private set; }

        /// <summary>Records <paramref name="id"/> as a member of the cluster that starts at <paramref name="originId"/> (nothing when it is its own origin).</summary>
        public void Add(string id, string originId)
        {
            if (string.Equals(id, originId, StringComparison.Ordinal)) return;
            if (_origins.Add(originId)) Row(originId, originId);
            Row(id, originId);
        }

        private void Row(string id, string cluster)
        {
            _writer.Write(id);
            _writer.Write(',');
            _writer.WriteLine(cluster);
            Rows++;
        }

        public void Complete()
        {
            _writer.Dispose();
            if (File.Exists(_path)) File.Delete(_path);
            File.Move(_temp, _path);
            _done = true;
        }

        public void Dispose()
        {
            _writer.Dispose();
            if (!_done && File.Exists(_temp)) File.Delete(_temp);
        }
    }
}
