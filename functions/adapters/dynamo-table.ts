/**
 * What every DynamoDB adapter on the single table shares: the client, the table name, and turning an
 * SDK failure into the pipeline's typed error (after the SDK's own retries) with the table named.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { storeFailure } from "./aws-clients.js";

/** The one method of the client the adapters use (tests can wrap it at the SDK boundary). */
export type DynamoSender = Pick<DynamoDBClient, "send">;

export abstract class DynamoTable {
  protected readonly label: string;

  constructor(
    protected readonly client: DynamoSender,
    readonly tableName: string,
  ) {
    this.label = `the DynamoDB table ${tableName}`;
  }

  /** Runs one SDK call; a failure becomes StoreUnavailable / ConfigurationError naming the table. */
  protected async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw storeFailure(err, this.label, action);
    }
  }
}
