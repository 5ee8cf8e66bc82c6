export declare const DEFAULT_DATABASE_URL: string;
export declare function databaseProvider(url: string): "postgresql" | "sqlite";
