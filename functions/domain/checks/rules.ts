/**
 * Every rule file, listed once: index.ts re-exports them, and its test checks that CHECK_RULES holds
 * every rule they export.
 */
export * from "./currency-agrees.js";
export * from "./flows-add-up.js";
export * from "./has-rows.js";
export * from "./large-yoy.js";
export * from "./month-within-ytd.js";
export * from "./one-row-per-series.js";
export * from "./partner-unmapped.js";
export * from "./quantity-unit.js";
export * from "./query-export.js";
export * from "./table-shape.js";
export * from "./yoy-recomputed.js";
