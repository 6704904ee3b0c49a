using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Conversion;
using LeadTools.Core.Funnel;
using LeadTools.Core.Import;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;

namespace LeadTools.DataGen
{
    /// <summary>
    /// The identity workloads of SPEC 9.5 through Core (the route Convert-LeadRecord and Merge-CrmRecord take):
    /// converting every lead of a file with key-store updates, and merging the duplicate groups of the truth file
    /// with campaign members and the journal.
    /// </summary>
    public static class IdentityWorkloads
    {
        /// <summary>Reads the leads, converts each (new contact, account, opportunity), updates and saves the key store in <paramref name="stateFolder"/>. Returns the number converted.</summary>
        public static long ConvertAll(string path, string stateFolder)
        {
            Directory.CreateDirectory(stateFolder);
            using var session = KeyStoreSession.Open(stateFolder, forWrite: true);
            var converter = new LeadConverter(new ConversionOptions(), session.Store);
            long n = 0;
            var reader = new RecordReader(new ImportOptions(), _ => { });
            foreach (var lead in reader.ReadFile(path))
            {
                if (string.IsNullOrWhiteSpace(lead.GetString("Company"))) lead.Set("Company", lead.GetString("LastName") + " Household");
                converter.Convert(new ConversionRequest(lead));
                n++;
            }
            session.Save();
            return n;
        }

        /// <summary>
        /// Merges the truth file's duplicate clusters (two or more records), each record with one campaign member
        /// (the cluster's first two in the same campaign, so memberships are de-duplicated), with the built-in funnel
        /// configuration, then writes the journal and saves the key store. Returns the number of groups merged.
        /// </summary>
        public static long MergeClusters(string path, string stateFolder, out long records, out long read)
        {
            Directory.CreateDirectory(stateFolder);
            var truth = CrmDataGenerator.ReadTruth(CrmDataGenerator.TruthPathFor(path));
            var clusterSizes = truth.Values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var groups = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
            var reader = new RecordReader(new ImportOptions(), _ => { });
            records = 0;
            read = 0;
            foreach (var r in reader.ReadFile(path))
            {
                read++;
                if (r.Id == null || !truth.TryGetValue(r.Id, out var cluster) || !clusterSizes.ContainsKey(cluster)) continue;
                if (!groups.TryGetValue(cluster, out var list)) groups[cluster] = list = new List<CrmRecord>();
                list.Add(r);
                records++;
            }
            using var session = KeyStoreSession.Open(stateFolder, forWrite: true);
            var options = new MergeOptions { Funnel = FunnelConfig.Example(), RunId = "bench-" + Guid.NewGuid().ToString("N").Substring(0, 8) };
            var engine = new MergeEngine(options, session.Store);
            var g = 0;
            foreach (var group in groups.Values)
            {
                g++;
                for (var i = 0; i < group.Count; i++)
                {
                    var cm = new CrmRecord("CampaignMember", 8);
                    cm.Add("Id", $"00v{g:D9}{i:D3}AAA");
                    cm.Add("CampaignId", i < 2 ? "701SHARED" + (g % 100) : "701OWN" + g + "_" + i);
                    cm.Add("LeadId", group[i].Id);
                    cm.Add("CreatedDate", $"2025-0{1 + i % 9}-01T00:00:00Z");
                    cm.Add("FCRM__FCR_Response_Status__c", i == 0 ? "Working" : "Responded");
                    cm.Add("FCRM__FCR_Response_Date__c", $"2025-0{1 + i % 9}-01T00:00:00Z");
                    engine.AddRelated(cm);
                }
            }
            var journal = new List<JournalEntry>(groups.Count);
            foreach (var group in groups.Values) journal.Add(engine.Merge(new MergeGroup(group)).Journal);
            MergeJournal.Write(stateFolder, options.RunId, journal);
            session.Save();
            return groups.Count;
        }
    }
}
