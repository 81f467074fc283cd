/** The peak resident set size of this process alone, in KB (see peak-rss.mjs). */
export declare function peakRssKb(): number;
