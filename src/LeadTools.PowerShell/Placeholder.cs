namespace LeadTools.PowerShell { internal static class Placeholder { } }
