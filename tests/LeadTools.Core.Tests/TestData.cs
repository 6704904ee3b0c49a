using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using LeadTools.Core.Import;
using LeadTools.Core.Records;

namespace LeadTools.Core.Tests
{
    /// <summary>Paths to the shared public data and a scratch folder per test.</summary>
    internal static class TestData
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LeadTools.psd1"))) return dir.FullName;
            }
            throw new InvalidOperationException("repository root not found");
        });

        public static string RepoRoot => Root.Value;

        /// <summary>../shared/data/exports: public sample exports (see shared/data/SOURCES.md for each file's source and licence).</summary>
        public static string Exports => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data", "exports"));

        public static string Export(string relative) => Path.Combine(Exports, relative.Replace('/', Path.DirectorySeparatorChar));

        public static (List<CrmRecord> Records, List<RecordIssue> Issues) Read(string path, ImportOptions? options = null)
        {
            var issues = new List<RecordIssue>();
            var reader = new RecordReader(options ?? new ImportOptions(), issues.Add);
            var records = reader.ReadFile(path).ToList();
            return (records, issues);
        }

        public static (List<CrmRecord> Records, List<RecordIssue> Issues) ReadText(string fileName, string content, ImportOptions? options = null)
        {
            var path = Path.Combine(Scratch(), fileName);
            File.WriteAllText(path, content);
            return Read(path, options);
        }

        /// <summary>A record with an id and fields, in order.</summary>
        public static CrmRecord Record(string type, string id, params (string Name, object? Value)[] fields)
        {
            var r = new CrmRecord(type);
            r.Add("Id", id);
            foreach (var (n, v) in fields) r.Add(n, v);
            return r;
        }

        public static string Scratch()
        {
            var dir = Path.Combine(Path.GetTempPath(), "leadtools-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
